/** The events an applied promotion writes, in Active Graph's format and order (spec §5.4, §7.7). */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pyParse, toPlain } from '../../src/main/engine/pyjson.js';
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
