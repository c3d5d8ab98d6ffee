/**
 * Graph queries (engine/graph-query) point by point against the definitions of Active Graph's
 * GraphStore query surface, computed here by brute force over the graph's objects and relations,
 * on the fixture runs at many events of each.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphObject, GraphRelation } from '../../src/shared/model.js';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { matchQuery, parseQuery, pyOrder } from '../../src/main/engine/graph-query.js';
import type { GraphReader } from '../../src/main/engine/projection.js';
import { scanEvents } from '../../src/main/store/event-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { cli } from '../support/cli.js';
import { copyFixture } from '../support/fixtures.js';

/** match_chain by its definition: every relation of each hop looked at, in the graph's order. */
function oracleChain(g: GraphReader, types: (string | null)[], rels: [string | null, 'right' | 'left'][]): string[][] {
  const out: string[][] = [];
  const walk = (path: string[], cur: GraphObject, i: number) => {
    if (i === rels.length) return void out.push(path);
    const [type, dir] = rels[i]!;
    for (const r of g.relations.values()) {
      if (type !== null && r.type !== type) continue;
      const [here, there] = dir === 'right' ? [r.source, r.target] : [r.target, r.source];
      const next = g.objects.get(there);
      if (here !== cur.id || !next || (types[i + 1] !== null && next.type !== types[i + 1])) continue;
      walk([...path, r.id, next.id], next, i + 1);
    }
  };
  for (const o of g.objects.values()) if (types[0] === null || o.type === types[0]) walk([o.id], o, 0);
  return out;
}

/** neighborhood by its definition: undirected breadth-first, the start included, non-object ends skipped. */
function oracleNeighborhood(g: GraphReader, start: string, depth: number): string[] {
  if (!g.objects.has(start)) return [];
  const seen = new Set([start]);
  let frontier = [start];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const id of frontier)
      for (const r of g.relations.values())
        for (const [a, b] of [
          [r.source, r.target],
          [r.target, r.source],
        ])
          if (a === id && !seen.has(b!)) {
            seen.add(b!);
            next.push(b!);
          }
    frontier = next;
  }
  return [...seen].filter((id) => g.objects.has(id)).sort();
}

const run = (g: GraphReader, query: string) => [...matchQuery(g, parseQuery(query))];
const flat = (b: { nodes: GraphObject[]; rels: GraphRelation[] }) => b.nodes.flatMap((n, i) => [n.id, ...(b.rels[i] ? [b.rels[i]!.id] : [])]);

/** Every run of the demo and archived stores, as of a quarter, half, three quarters and the end of it. */
async function graphsOfFixtures(): Promise<{ label: string; graph: GraphReader }[]> {
  const out: { label: string; graph: GraphReader }[] = [];
  for (const name of ['demo', 'archived'] as const) {
    const store = await openStore(`sqlite:///${copyFixture(name).file}`);
    for (const r of await store.listRuns()) {
      const seqs: number[] = [];
      for await (const chunk of scanEvents(store, r.run_id)) seqs.push(...chunk.map((e) => e.seq));
      const cursor = new GraphCursor(store, r.run_id);
      for (const f of [0.25, 0.5, 0.75, 1]) {
        const seq = seqs[Math.max(0, Math.ceil(seqs.length * f) - 1)];
        if (seq !== undefined) out.push({ label: `${name} ${r.run_id} @${seq}`, graph: (await cursor.at(seq)).graph });
      }
    }
  }
  return out;
}

describe('graph queries, against the definitions', async () => {
  const graphs = await graphsOfFixtures();

  it('objects by type and by types: every object of them, in the graph’s order', () => {
    for (const { graph } of graphs) {
      const all = [...graph.objects.values()];
      expect(run(graph, '(o)').map((b) => b.nodes[0]!.id)).toEqual(all.map((o) => o.id));
      expect(run(graph, '(c:claim)').map((b) => b.nodes[0]!.id)).toEqual(all.filter((o) => o.type === 'claim').map((o) => o.id));
      expect(run(graph, '(x:claim|question)').map((b) => b.nodes[0]!.id)).toEqual(all.filter((o) => ['claim', 'question'].includes(o.type)).map((o) => o.id));
    }
  });

  it('chains: types and None types, named and any relation types, both directions, two and three hops', () => {
    const cases: [string, (string | null)[], [string | null, 'right' | 'left'][]][] = [
      ['(p:plan)-[:has_question]->(q:question)', ['plan', 'question'], [['has_question', 'right']]],
      ['(s:source)<-[:supported_by]-(c:claim)', ['source', 'claim'], [['supported_by', 'left']]],
      ['(a)-->(b)', [null, null], [[null, 'right']]],
      ['(a)<--(b)', [null, null], [[null, 'left']]],
      [
        '(p:plan)-[:has_question]->(q)-[:answered_by]->(s:source)',
        ['plan', null, 'source'],
        [
          ['has_question', 'right'],
          ['answered_by', 'right'],
        ],
      ],
      [
        '(c:claim)-[:supported_by]->(s)<-[:answered_by]-(q:question)<-[]-(p)',
        ['claim', null, 'question', null],
        [
          ['supported_by', 'right'],
          ['answered_by', 'left'],
          [null, 'left'],
        ],
      ],
      [
        '(x)-->(y)<--(z)',
        [null, null, null],
        [
          [null, 'right'],
          [null, 'left'],
        ],
      ],
    ];
    for (const { label, graph } of graphs)
      for (const [query, types, rels] of cases) expect(run(graph, query).map(flat), `${label}: ${query}`).toEqual(oracleChain(graph, types, rels));
  });

  it('homomorphic: a relation and its ends may fill several positions (there and back again)', () => {
    for (const { graph } of graphs) {
      const back = run(graph, '(a)-[r1]->(b)<-[r2]-(c)');
      for (const r of graph.relations.values()) {
        if (!graph.objects.has(r.source) || !graph.objects.has(r.target)) continue;
        expect(back.some((b) => b.rels[0]!.id === r.id && b.rels[1]!.id === r.id && b.nodes[0]!.id === b.nodes[2]!.id)).toBe(true);
      }
    }
  });

  it('neighborhoods of depth 1 to 3, a non-object answered with nothing', () => {
    for (const { graph } of graphs) {
      for (const o of [...graph.objects.values()].slice(0, 4))
        for (const depth of [1, 2, 3])
          expect(
            run(graph, `neighborhood(${o.id}, ${depth})`)
              .map((b) => b.nodes[0]!.id)
              .sort(),
          ).toEqual(oracleNeighborhood(graph, o.id, depth));
      expect(run(graph, 'neighborhood(nothing#0, 2)')).toEqual([]);
    }
  });

  it('removals between two events: what a removal takes away is gone from the later answers', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    let checked = 0;
    for (const r of await store.listRuns()) {
      const cursor = new GraphCursor(store, r.run_id);
      for await (const chunk of scanEvents(store, r.run_id))
        for (const e of chunk) {
          if (e.type !== 'object.removed' && e.type !== 'relation.removed') continue;
          const [before, after] = [(await cursor.at(e.seq - 1)).graph, (await cursor.at(e.seq)).graph];
          expect(run(after, '(a)-->(b)').map(flat)).toEqual(oracleChain(after, [null, null], [[null, 'right']]));
          expect(run(after, '(o)').length).toBeLessThanOrEqual(run(before, '(o)').length);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(0);
    await store.close();
  });

  it('where: comparisons as Python makes them, and/or/not, in, exists, contains, starts with', () => {
    const { graph } = graphs.at(-1)!;
    const objects = [...graph.objects.values()];
    const expectWhere = (cond: string, keep: (o: GraphObject) => boolean) =>
      expect(
        run(graph, `(o) where ${cond}`).map((b) => b.nodes[0]!.id),
        cond,
      ).toEqual(objects.filter(keep).map((o) => o.id));
    expectWhere("o.type = 'claim' or o.type = 'plan'", (o) => o.type === 'claim' || o.type === 'plan');
    expectWhere("not o.type in ['claim', 'plan']", (o) => !['claim', 'plan'].includes(o.type));
    expectWhere("o.id starts with 'question'", (o) => o.id.startsWith('question'));
    expectWhere("o.id contains '#1'", (o) => o.id.includes('#1'));
    expectWhere('exists o.data.text', (o) => Object.prototype.hasOwnProperty.call(o.data, 'text'));
    expectWhere('o.version >= 2 and o.version < 100', (o) => o.version >= 2);
    expectWhere("o.version > 'a'", () => false); // Python cannot order an int and a str: the binding is left out
  });

  it('Python’s order: numbers by value (bools are numbers), strings by code point, lists item by item, else none', () => {
    expect(pyOrder(1, 1.5)).toBe(-1);
    expect(pyOrder(true, 1)).toBe(0);
    expect(pyOrder('b', 'a')).toBe(1);
    expect(pyOrder('\u{1F600}', '\uFFFF')).toBe(1); // UTF-16 code units would say otherwise
    expect(pyOrder([1, 'a'], [1, 'b'])).toBe(-1);
    expect(pyOrder('1', 1)).toBeUndefined();
    expect(pyOrder(null, 0)).toBeUndefined();
  });

  it('a query that does not parse says where, with a caret under the column', () => {
    expect(() => parseQuery('(c:claim)<-[:supports(s)')).toThrow(/does not parse at column 22: Expected/);
    try {
      parseQuery('(c:claim) where c.data.x <');
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(2);
      expect((err as { whatFailed: string }).whatFailed).toBe('(c:claim) where c.data.x <\n                          ^');
    }
    expect(() => parseQuery('(c:claim) where d.id = 1')).toThrow(/d\.id names d, which the pattern does not/);
    expect(() => parseQuery('(a)-->(a)')).toThrow(/the name a is given to two positions/);
  });
});

describe('run-inspector query', () => {
  it('prints one JSON object per binding, as of an event; exit 2 for a query that does not parse, 3 for an unknown run or event', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const runId = (await store.listRuns()).find((r) => !r.parent_run_id && (r.event_count ?? 0) > 90)!.run_id;
    const events = [];
    for await (const chunk of scanEvents(store, runId)) events.push(...chunk);
    const mid = events[Math.floor(events.length / 2)]!;
    const graph = (await new GraphCursor(store, runId).at(mid.seq)).graph;
    const expected = oracleChain(graph, [null, null], [[null, 'right']]);
    await store.close();
    const dir = path.dirname(file);
    const out = await cli(['query', `sqlite:///${file}`, '--run-id', runId, '--as-of', mid.id, '--match', '(a)-[r]->(b)', '--json'], dir);
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.a.id, l.r.id, l.b.id])).toEqual(expected);
    const inText = await cli(['query', `sqlite:///${file}`, '--run-id', runId, '--match', `(a)-[r]->(b) as of ${mid.id}`], dir);
    expect(inText.stdout).toContain(`${expected.length} binding`);
    const bad = await cli(['query', `sqlite:///${file}`, '--run-id', runId, '--match', '(a)-[r->(b)'], dir);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^QuerySyntaxError: the query does not parse at column/)]);
    expect((await cli(['query', `sqlite:///${file}`, '--run-id', 'no-such-run', '--match', '(a)'], dir)).code).toBe(3);
    expect((await cli(['query', `sqlite:///${file}`, '--run-id', runId, '--match', '(a) as of evt_nope'], dir)).code).toBe(3);
  });
});
