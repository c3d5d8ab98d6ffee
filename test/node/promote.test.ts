/** The events an applied promotion writes, in Active Graph's format and order (spec §5.4, §7.7). */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/main/engine/projection.js';
import { planPromotion } from '../../src/main/usecases/promote.js';
import { pyParse, toPlain } from '../../src/main/base/pyjson.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const demo = manifest('demo');

describe('promote', () => {
  it('writes the marker, then the delta events by promote:<fork>, caused by the marker, in one block at the end of the parent', async () => {
    const { dir, file } = copyFixture('demo');
    const parent = demo.runs.fork_b;
    const fork = demo.runs.fork_c_of_b;
    const res = await cli(['promote', 'sqlite:///demo.db', '--run-id', parent, '--from-run', fork, '--json'], dir);
    expect(res.code, res.stderr).toBe(0);
    const out = toPlain(pyParse(res.stdout)) as { marker_event_id: string; applied_event_ids: string[]; objects_created: string[]; relations_created: string[] };
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, type, actor, payload, caused_by FROM events WHERE run_id = ? ORDER BY seq').all(parent) as {
      id: string;
      type: string;
      actor: string;
      payload: string;
      caused_by: string | null;
    }[];
    const forkRows = db.prepare('SELECT count(*) AS n FROM events WHERE run_id = ?').get(fork) as { n: number };
    db.close();
    const block = rows.slice(rows.findIndex((r) => r.id === out.marker_event_id));
    expect(block.map((r) => r.id)).toEqual([out.marker_event_id, ...out.applied_event_ids]);
    const [marker, ...deltas] = block;
    expect(marker).toMatchObject({ type: 'promote.applied', actor: 'runtime', caused_by: null });
    expect(Object.keys(JSON.parse(marker!.payload))).toEqual([
      'from_run',
      'forked_at_event',
      'computed_against',
      'objects_created',
      'objects_patched',
      'objects_removed',
      'relations_created',
      'relations_removed',
      'warnings',
    ]);
    for (const d of deltas) expect(d).toMatchObject({ actor: `promote:${fork}`, caused_by: marker!.id });
    expect(deltas.map((d) => d.type)).toEqual([...out.objects_created.map(() => 'object.created'), ...out.relations_created.map(() => 'relation.created')]);
    expect(deltas.map((d) => JSON.parse(d.payload).id)).toEqual([...out.objects_created, ...out.relations_created]);
    expect(forkRows.n).toBe(52); // the fork is untouched
  });

  it('a conflicted promotion writes nothing, and a dry run never writes', async () => {
    const { dir, file } = copyFixture('demo');
    const count = () => {
      const db = new Database(file, { readonly: true });
      const n = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      db.close();
      return n;
    };
    const before = count();
    expect((await cli(['promote', 'sqlite:///demo.db', '--run-id', demo.runs.main, '--from-run', demo.runs.fork_a], dir)).code).toBe(5);
    expect((await cli(['promote', 'sqlite:///demo.db', '--run-id', demo.runs.fork_b, '--from-run', demo.runs.fork_c_of_b, '--dry-run'], dir)).code).toBe(0);
    expect(count()).toBe(before);
  });
});

describe('promote conflicts, in Active Graph’s words and order (spec §7.7)', () => {
  const obj = (id: string, data: Record<string, unknown> = {}) => ['object.created', { object: { id, type: 'claim', data } }] as const;
  const rel = (id: string, source: string, target: string, type = 'supports') => ['relation.created', { relation: { id, source, target, type, data: {} } }] as const;
  const graph = (...events: (readonly [string, unknown])[]): Graph => {
    const g = new Graph();
    events.forEach(([type, payload], i) => g.apply(type, payload, i));
    return g;
  };

  it('every sentence, sorted by kind, entity and id', () => {
    const base = graph(obj('a#1', { v: 1 }), obj('b#2', { v: 1 }), obj('c#3', { v: 1 }), obj('d#4', { v: 1 }), obj('e#5'), obj('f#6'), rel('rel_001', 'e#5', 'f#6'));
    const parent = graph(
      obj('a#1', { v: 2 }), // changed identically on both sides
      obj('b#2', { v: 2 }), // changed differently
      // c#3 removed on both sides
      obj('d#4', { v: 1 }),
      obj('e#5'),
      obj('f#6'),
      rel('rel_001', 'e#5', 'f#6'),
      rel('rel_004', 'f#6', 'e#5', 'cites'), // the parent's own, after the fork point
      obj('new#9', { by: 'parent' }), // created on both sides
    );
    const fork = graph(
      obj('a#1', { v: 2 }),
      obj('b#2', { v: 3 }),
      obj('d#4', { v: 1 }),
      obj('f#6'), // e#5 removed (rel_001 with it): the parent's rel_004 would go too
      obj('new#9', { by: 'fork' }),
      obj('gone#7'),
      rel('rel_002', 'd#4', 'gone#7'),
      rel('rel_003', 'zz#1', 'aa#2', 'cites'), // both ends absent from the parent
    );
    const planned = planPromotion({ base, parent, fork }, []);
    expect(planned.conflicts.map((c) => [c.kind, c.entity, c.id, c.detail])).toEqual([
      ['both_changed', 'object', 'a#1', 'a#1 was changed identically on both sides \u2014 still a conflict in v1 (no semantic judgment)'],
      ['both_changed', 'object', 'b#2', 'b#2 changed on both sides since the fork point'],
      ['both_changed', 'object', 'c#3', 'c#3 was removed on both sides'],
      ['both_changed', 'object', 'new#9', 'new#9 was created independently on both sides after the fork point (id collision from the reseeded generators)'],
      ['dangling_relation', 'relation', 'rel_003', 'rel_003 (zz#1 --cites--> aa#2) references aa#2, zz#1, which would not exist in the parent after this promote'],
      ['orphaning_removal', 'object', 'e#5', 'removing e#5 would cascade away parent relation(s) rel_004 that the fork never touched'],
    ]);
    // The fork's own new object and its relation to an object the parent keeps promote cleanly.
    expect(planned.objects_created).toEqual(['gone#7']);
    expect(planned.relations_created).toEqual(['rel_002', 'rel_003']);
  });
});
