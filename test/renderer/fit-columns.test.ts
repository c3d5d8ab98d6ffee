/** Columns give way to a narrow timeline, least telling first, never one the user chose to show. */
import { describe, expect, it } from 'vitest';
import { columnsToHide, GIVE_WAY } from '../../src/renderer/src/features/timeline/fit-columns.js';

const cols = ['index', 'seq', 'id', 'type', 'actor', 'time', 'duration', 'summary'].map((id) => ({ id, minWidth: id === 'summary' ? 120 : 50 }));
const needed = (ids: string[]) => cols.filter((c) => !ids.includes(c.id)).reduce((w, c) => w + c.minWidth, 0) + 6 * (cols.length - ids.length - 1) + 20;

describe('columnsToHide', () => {
  it('hides nothing when all fit, and just enough, in order, when they do not', () => {
    expect(columnsToHide(cols, needed([]), {})).toEqual([]);
    const hidden = columnsToHide(cols, needed([]) - 1, {});
    expect(hidden).toEqual(['seq']);
    const narrow = columnsToHide(cols, 330, {});
    expect(needed(narrow)).toBeLessThanOrEqual(330);
    expect(narrow).toEqual(GIVE_WAY.filter((id) => narrow.includes(id)));
    expect(needed(narrow.slice(0, -1))).toBeGreaterThan(330); // one fewer would not fit
    expect(narrow).not.toContain('summary');
    expect(narrow).not.toContain('type');
  });

  it('keeps a column the user chose to show', () => {
    expect(columnsToHide(cols, needed([]) - 1, { seq: true })).toEqual(['actor']);
  });
});
