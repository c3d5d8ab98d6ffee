/**
 * Event queries (store/event-query) compiled to SQL: the rows of each query on SQLite are the
 * events a direct reading of the definitions picks (decoded payloads, caused_by chains), and
 * Postgres (the same runs migrated) gives the same rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PyFloat, pyLoadsFast } from '../../src/main/base/pyjson.js';
import { scanEvents, type EventStore, type StoredEvent } from '../../src/main/store/event-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { parseEventQuery } from '../../src/main/store/event-query.js';
import { cli } from '../support/cli.js';
import { copyFixture, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

const MISSING = Symbol('missing');
const numberOf = (v: unknown): number | undefined =>
  typeof v === 'number'
    ? v
    : v instanceof PyFloat
      ? v.value
      : typeof v === 'bigint'
        ? Number(v)
        : typeof v === 'string' && /^-?[0-9]*\.?[0-9]*$/.test(v) && /[0-9]/.test(v)
          ? Number(v)
          : undefined;

/** The definitions, read directly: one event, one condition. */
function holds(e: StoredEvent, all: StoredEvent[], expr: any): boolean {
  const payload = () => {
    try {
      return pyLoadsFast(e.payload) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const field = (f: any): unknown => {
    if (f.column) return (e as any)[f.column];
    let cur: unknown = payload();
    for (const k of f.payload) {
      if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return MISSING;
      cur = (cur as any)[k];
    }
    return cur;
  };
  const cmp = (a: number | string, op: string, b: number | string) =>
    op === '=' ? a === b : op === '!=' ? a !== b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  const test = (f: any, op: string, value: unknown): boolean => {
    const v = field(f);
    if (v === MISSING) return false;
    if (value === null) return op === '=' ? v === null : op === '!=' ? v !== null : false;
    if (f.column === 'timestamp') return typeof v === 'string' && cmp(Date.parse(v), op, Date.parse(value as string));
    if (typeof value === 'number') {
      const n = f.column === 'seq' ? (v as number) : numberOf(v);
      return n !== undefined && typeof v !== 'boolean' && cmp(n, op, value);
    }
    if (typeof value === 'boolean') return typeof v === 'boolean' && (op === '=' ? v === value : op === '!=' ? v !== value : false);
    return typeof v === 'string' && cmp(v, op, value as string);
  };
  const causes = new Map(all.map((x) => [x.id, x.caused_by]));
  switch (expr.op) {
    case 'and':
      return holds(e, all, expr.left) && holds(e, all, expr.right);
    case 'or':
      return holds(e, all, expr.left) || holds(e, all, expr.right);
    case 'not':
      return !holds(e, all, expr.expr);
    case 'exists':
      return expr.field.payload ? field(expr.field) !== MISSING : field(expr.field) !== null;
    case 'cmp':
      return test(expr.field, expr.cmp, expr.value);
    case 'in':
      return expr.values.some((v: unknown) => test(expr.field, '=', v));
    case 'contains':
      return typeof field(expr.field) === 'string' && (field(expr.field) as string).includes(expr.value);
    case 'starts with':
      return typeof field(expr.field) === 'string' && (field(expr.field) as string).startsWith(expr.value);
    case 'descendant': {
      for (let c = e.caused_by; c; c = causes.get(c) ?? null) if (c === expr.eventId) return e.id !== expr.eventId;
      return false;
    }
    case 'ancestor': {
      for (let c = causes.get(expr.eventId) ?? null; c; c = causes.get(c) ?? null) if (c === e.id) return true;
      return false;
    }
  }
  throw new Error(`no such condition ${expr.op}`);
}

const QUERIES = [
  "type = 'llm.responded' and payload.cost_usd > 0.001",
  'payload.latency_seconds >= 0.4 or payload.input_tokens < 200',
  "payload.model = 'scripted-model-1' and not payload.cache_hit = true",
  'exists payload.error and payload.error = null',
  "not exists payload.tool_calls and type starts with 'llm.'",
  "payload.tool_calls.0.name = 'lookup'",
  "payload.output.answer contains 'facts' and payload.output.hits >= 5",
  "actor in ['planner', 'auditor'] and seq > 10",
  "type != 'behavior.started' and payload.behavior starts with 'summ'",
  "timestamp >= '2026-09-01T09:00:30Z' and timestamp < '2026-09-01T09:02:00+00:00'",
  "payload.cost_usd = '0' or payload.estimated_cost_usd > 0.0027",
  "type = 'x\\' OR 1=1 --'", // a value is a parameter, never SQL
];

async function runEvents(store: EventStore, runId: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for await (const chunk of scanEvents(store, runId)) all.push(...chunk);
  return all;
}

describe('event queries', () => {
  let sqlite: EventStore;
  let postgres: EventStore;
  let runIds: string[];
  beforeAll(async () => {
    const { file } = copyFixture('demo');
    sqlite = await openStore(`sqlite:///${file}`);
    const url = await freshDatabase('evq');
    expect((await cli(['migrate', '--from', `sqlite:///${file}`, '--to', url], tempDir())).code).toBe(0);
    postgres = await openStore(url);
    runIds = (await sqlite.listRuns()).map((r) => r.run_id);
  });

  it('give the events the definitions pick, on SQLite, in seq order', async () => {
    const matched = new Map<string, number>();
    for (const runId of runIds) {
      const all = await runEvents(sqlite, runId);
      const chainOf = all.find((e) => all.some((x) => x.caused_by === e.id)) ?? all[0]!;
      for (const q of [...QUERIES, `descendant of ${chainOf.id}`, `ancestor of ${all.at(-1)!.id}`, `descendants of ${chainOf.id} and type starts with 'behavior.'`]) {
        const expected = all.filter((e) => holds(e, all, parseEventQuery(q))).map((e) => e.id);
        const got = (await sqlite.eventsAfter(runId, -1e15, 100_000, { where: q })).map((e) => e.id);
        expect(got, `${runId}: ${q}`).toEqual(expected);
        expect(await sqlite.countEvents(runId, { where: q })).toBe(expected.length);
        matched.set(q, (matched.get(q) ?? 0) + expected.length);
      }
    }
    // Not vacuous: every query but the injected one picks some events somewhere, and not all of them.
    for (const q of QUERIES.slice(0, -1)) expect(matched.get(q), q).toBeGreaterThan(0);
    expect(matched.get(QUERIES.at(-1)!)).toBe(0);
  });

  it('give the same rows on Postgres', async () => {
    for (const runId of runIds) {
      const all = await runEvents(sqlite, runId);
      for (const q of [...QUERIES, `descendant of ${all[1]!.id}`, `ancestor of ${all.at(-1)!.id}`]) {
        const a = (await sqlite.eventsAfter(runId, -1e15, 100_000, { where: q })).map((e) => e.id);
        const b = (await postgres.eventsAfter(runId, -1e15, 100_000, { where: q })).map((e) => e.id);
        expect(b, `${runId}: ${q}`).toEqual(a);
      }
    }
    expect(QUERIES.length).toBeGreaterThan(5);
  });

  it('run-inspector query --events: the same events as JSON lines; exit 2 for a query that does not parse', async () => {
    const runId = runIds[0]!;
    const q = QUERIES[0]!;
    const expected = (await sqlite.eventsAfter(runId, -1e15, 100_000, { where: q })).map((e) => e.id);
    const dir = tempDir();
    const out = await cli(['query', sqlite.url.raw, '--run-id', runId, '--events', q, '--json'], dir);
    expect(out.code).toBe(0);
    expect(
      out.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).id),
    ).toEqual(expected);
    const bad = await cli(['query', sqlite.url.raw, '--run-id', runId, '--events', 'payload.'], dir);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/^QuerySyntaxError: the query does not parse at column 9/)]);
    expect((await cli(['query', sqlite.url.raw, '--run-id', runId], dir)).code).toBe(2); // neither --match nor --events
  });

  it('a query that does not parse points at the column', () => {
    expect(() => parseEventQuery("type = 'llm.responded' and payload.")).toThrow(/does not parse at column 36/);
    expect(() => parseEventQuery('payload.cost_usd >')).toThrow(/QuerySyntax|does not parse/);
  });
});
