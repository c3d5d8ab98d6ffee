import { describe, expect, it } from 'vitest';
import { clampPane, PANE_LIMITS } from '../../src/renderer/src/ui/pane-sizes.js';

describe('pane sizes', () => {
  it('keep each pane between its limits, so the timeline keeps room', () => {
    expect(clampPane('sidebar', 10)).toBe(PANE_LIMITS.sidebar[0]);
    expect(clampPane('sidebar', 5000)).toBe(PANE_LIMITS.sidebar[1]);
    expect(clampPane('right', 450.4)).toBe(450);
  });
});
