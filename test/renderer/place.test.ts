import { describe, expect, it } from 'vitest';
import { placeFromSearch, searchFromPlace, type Place } from '../../src/renderer/src/features/navigation/place.js';

describe('places in the location', () => {
  it('round-trip a store, run, event, tab and every filter, compact mode included', () => {
    const p: Place = { store: 's2', run: 'R1', event: 'evt_010', tab: 'graph', filter: { types: ['llm.', 'behavior.failed'], actor: 'summ', text: 'plan', compact: true } };
    expect(placeFromSearch(searchFromPlace(p))).toEqual(p);
    expect(searchFromPlace({ filter: {} })).toBe('');
    expect(placeFromSearch('?compact=0&tab=nope').filter).toEqual({});
  });
});
