/**
 * The contract: its surface is pinned (a change to it is deliberate), every operation refuses
 * generated bad inputs with a clear error before reaching the engine, and valid inputs reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isFrontOperation, operationNames, operations, pushChannels, type OperationName } from '../../src/shared/contract.js';
import { Front, type HostApi } from '../../src/main/front/front.js';
import { dispatch, isOperation } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import path from 'node:path';
import { SavedConnections } from '../../src/main/service/saved-connections.js';
import { copyFixture, manifest, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';
import { testKeyring } from '../support/keyring.js';

const surface = () => ({
  operations: Object.fromEntries(
    operationNames.map((op) => [
      op,
      { input: z.toJSONSchema(operations[op].input, { io: 'input', unrepresentable: 'any' }), output: z.toJSONSchema(operations[op].output, { unrepresentable: 'any' }) },
    ]),
  ),
  pushChannels: Object.fromEntries(Object.entries(pushChannels).map(([k, v]) => [k, z.toJSONSchema(v)])),
});

describe('contract surface', () => {
  it('matches the pinned snapshot', async () => {
    await expect(JSON.stringify(surface(), null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/contract-surface.json');
  });
});

/** Deterministic PRNG so generated cases are reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => (a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const junk: unknown[] = [
  null,
  42,
  -1,
  1.5,
  '',
  'x'.repeat(5000),
  true,
  [],
  {},
  [1, 2],
  { nested: { deep: 1 } },
  'sqlite:///x.db',
  's0',
  '../../etc/passwd',
  "'; DROP TABLE events; --",
  NaN,
  Number.MAX_SAFE_INTEGER * 4,
];

function badInputs(op: OperationName, rand: () => number): unknown[] {
  const schema = operations[op].input;
  const shape = (schema as unknown as z.ZodObject<z.ZodRawShape>).shape as Record<string, z.ZodType>;
  const keys = Object.keys(shape);
  const cases: unknown[] = [undefined, null, 'string', 7, [], [{}]];
  cases.push({ ...validBase(op), unexpected: 1 });
  for (const key of keys) {
    for (let i = 0; i < 6; i++) {
      const value = junk[Math.floor(rand() * junk.length)];
      const candidate = { ...validBase(op), [key]: value };
      if (!schema.safeParse(candidate).success) cases.push(candidate);
    }
    if (!shape[key]!.safeParse(undefined).success) {
      const { [key]: _omitted, ...rest } = validBase(op);
      cases.push(rest);
    }
  }
  return cases;
}

let storeId = 's1';
let fixtureFile = '/nonexistent/demo.db';
let connectionUrl = 'postgres://nobody@127.0.0.1:1/none';
const run = manifest('demo').runs.main;
function validBase(op: OperationName): Record<string, unknown> {
  const common = { storeId, runId: run };
  const bases: Record<OperationName, Record<string, unknown>> = {
    openStore: { url: `sqlite:///${fixtureFile}` },
    openDemoStore: {},
    browseFiles: { dir: '/' },
    graphQuery: { ...common, query: '(c:claim)', offset: 0, limit: 10 },
    compareRuns: { storeId, runIds: [run, run] },
    alignedSteps: { storeId, runIds: [run, run], offset: 0, limit: 50 },
    fleet: { storeId },
    runDifferences: { storeId, runIds: [run, run], offset: 0, limit: 10 },
    closeStore: { storeId },
    listStores: {},
    listRuns: { storeId },
    runInfo: { ...common },
    runCounts: { storeId, runIds: [run] },
    runFailures: { storeId },
    eventTypes: { storeId },
    actors: { ...common },
    timelineWindow: { ...common, offset: 0, limit: 10 },
    locateEvent: { ...common, eventId: 'evt_010' },
    getEvent: { ...common, eventId: 'evt_010' },
    archivedWindow: { ...common, offset: 0, limit: 10 },
    rateStrip: { ...common, buckets: 20 },
    graphOverview: { ...common },
    neighborhood: { ...common, objectId: 'plan#1', depth: 2 },
    findObjects: { ...common, query: 'claim' },
    runCosts: { ...common },
    spans: { ...common, width: 800 },
    spanTimes: { ...common, eventIds: ['evt_010'] },
    objectHistory: { ...common, objectId: 'plan#1' },
    status: { ...common, tail: 5 },
    statusExtras: { ...common },
    fork: { ...common, atEventId: 'evt_010' },
    diff: { storeId, runA: run, runB: manifest('demo').runs.fork_a },
    whatIf: { ...common, exclude: ['evt_010'], withConsequences: true },
    promote: { storeId, parentRunId: manifest('demo').runs.fork_b, forkRunId: manifest('demo').runs.fork_c_of_b, dryRun: true },
    exportTrace: { ...common, format: 'jsonl', maxLines: 5 },
    exportOtlp: { ...common },
    pagePlan: { ...common },
    savePage: { ...common },
    cacheStats: {},
    findEvent: { ...common, filter: { search: 'claim' } },
    storeHealth: { storeId },
    governance: { ...common },
    setCacheBudget: { limitMb: 4096 },
    watchRun: { ...common, watch: false },
    listConnections: {},
    saveConnection: { name: 'shared', url: connectionUrl, savePassword: true },
    deleteConnection: { name: 'gone' },
    openConnection: { name: 'shared' },
    startMigration: { storeId, destUrl: `sqlite:///${fixtureFile}.migrated.db`, skipCorrupted: false },
    migrationStatus: { migrationId: 'm1' },
    cancelMigration: { migrationId: 'm1' },
  };
  return bases[op];
}

describe('contract validation', () => {
  let service: InspectorService;
  let front: Front;
  const calls: string[] = [];
  /** Host operations straight into the service (instrumented below); connection operations through the front. */
  const callOp = (op: string, input: unknown) => (isOperation(op) && isFrontOperation(op) ? front.call(op, input) : dispatch(service, op, input));
  beforeAll(async () => {
    const { file } = copyFixture('demo');
    fixtureFile = file;
    const pg = await freshDatabase('contract');
    await loadSqliteIntoPostgres(file, pg);
    connectionUrl = pg.replace('postgres://postgres@', 'postgres://postgres:not-needed@');
    service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    // The front forwards to this service in-process (the data host's wire is tested in host.test.ts).
    const inProcess: HostApi = { call: (op, input, signal) => dispatch(service, op, input, signal), onPush: (sink) => service.onPush(sink) };
    const saved = new SavedConnections(path.join(tempDir(), 'connections.json'), testKeyring());
    front = new Front(inProcess, saved);
    const frontMethods = { listConnections: 'list', saveConnection: 'save', deleteConnection: 'delete', openConnection: 'connectionUrl' } as const;
    for (const [op, method] of Object.entries(frontMethods)) {
      const original = (saved[method] as (...a: unknown[]) => unknown).bind(saved);
      (saved as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => (calls.push(op), original(...a));
    }
    // Record which handlers run: a rejected input must never reach one.
    for (const op of operationNames) {
      if (isFrontOperation(op)) continue;
      const original = service.handlers[op] as (i: unknown, s: AbortSignal) => Promise<unknown>;
      (service.handlers as Record<string, unknown>)[op] = (i: unknown, sig: AbortSignal) => (calls.push(op), original(i, sig));
    }
    const opened = await dispatch(service, 'openStore', { url: `sqlite:///${file}` });
    expect(opened.ok).toBe(true);
    storeId = (opened as { value: { storeId: string } }).value.storeId;
    calls.length = 0;
  });
  afterAll(() => service.close());

  it.each(operationNames)('%s refuses generated bad inputs before the engine', async (op) => {
    const rand = prng(op.length * 7919);
    for (const input of badInputs(op, rand)) {
      const res = await callOp(op, input);
      expect(res.ok, JSON.stringify(input)?.slice(0, 200)).toBe(false);
      if (!res.ok) {
        expect(res.error.className).toBe('InvalidRequest');
        expect(res.error.whatFailed).toContain(op);
      }
    }
    expect(calls).toEqual([]);
  });

  it('refuses unknown operations', async () => {
    const res = await dispatch(service, 'runShell', { cmd: 'rm -rf /' });
    expect(res.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it.each(operationNames.filter((op) => op !== 'fork' && op !== 'closeStore'))('%s: a valid input reaches the engine and its output matches the contract', async (op) => {
    const res = await callOp(op, validBase(op));
    expect(calls).toContain(op);
    calls.length = 0;
    expect(res.ok, JSON.stringify(res).slice(0, 400)).toBe(true);
    if (res.ok) expect(operations[op].output.safeParse(res.value).success).toBe(true);
  });
});
