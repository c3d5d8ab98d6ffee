import { describe, expect, it } from 'vitest';
import { brushWindow, clampWindow, panWindow, zoomWindow } from '../../src/renderer/src/features/waterfall/waterfall-view.js';

const run = { from: 1000, to: 101_000 };

describe('waterfall window', () => {
  it('zooms about the point under the cursor and never leaves the run', () => {
    const half = zoomWindow(run, 0.5, 0.5, run);
    expect(half).toEqual({ from: 26_000, to: 76_000 });
    const left = zoomWindow(run, 0.5, 0, run);
    expect(left).toEqual({ from: 1000, to: 51_000 });
    expect(zoomWindow(half, 10, 0.5, run)).toEqual(run); // out past the run: the whole run
    expect(zoomWindow(run, 1e-9, 0.5, run).to - zoomWindow(run, 1e-9, 0.5, run).from).toBe(50); // a floor
  });
  it('pans by a share of the view, stopping at the ends', () => {
    const w = { from: 1000, to: 11_000 };
    expect(panWindow(w, 0.5, run)).toEqual({ from: 6000, to: 16_000 });
    expect(panWindow(w, -1, run)).toEqual(w);
    expect(panWindow({ from: 91_000, to: 101_000 }, 3, run)).toEqual({ from: 91_000, to: 101_000 });
  });
  it('brushes a window from the overview, either direction', () => {
    expect(brushWindow(0.75, 0.25, run)).toEqual({ from: 26_000, to: 76_000 });
    expect(clampWindow({ from: 0, to: 500_000 }, run)).toEqual(run);
  });
});
