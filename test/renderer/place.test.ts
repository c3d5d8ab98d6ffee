import { describe, expect, it } from 'vitest';
import { isEmptyPlace, placeFromSearch, searchFromPlace, type Place } from '../../src/renderer/src/features/navigation/place.js';

describe('places in the location', () => {
  it('round-trip a store, run, event, tab and every filter, compact mode included', () => {
    const p: Place = { store: 's2', run: 'R1', event: 'evt_010', tab: 'graph', filter: { types: ['llm.', 'behavior.failed'], actor: 'summ', text: 'plan', compact: true } };
    expect(placeFromSearch(searchFromPlace(p))).toEqual(p);
    // The query panel's query, and an event query filter, travel too.
    const q: Place = { run: 'R1', tab: 'query', filter: { where: "payload.cost_usd > 0.01 and type = 'llm.responded'" }, query: '(c:claim)-->(s)' };
    expect(placeFromSearch(searchFromPlace(q))).toEqual(q);
    // A bare URL names nothing: nothing to restore.
    expect(isEmptyPlace(placeFromSearch(''))).toBe(true);
    expect(isEmptyPlace(placeFromSearch('?tab=graph'))).toBe(false);
    expect(searchFromPlace({ filter: {} })).toBe('');
    expect(placeFromSearch('?compact=0&tab=nope').filter).toEqual({});
  });
});
