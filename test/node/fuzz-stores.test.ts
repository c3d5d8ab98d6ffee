/**
 * Mutated copies of the fixture stores, generated here with a fixed seed, each opened through the
 * CLI and through browser mode's HTTP server: the answer is a typed error or a view, never an
 * untyped failure, a crash or a hang, and the mutated file's bytes never change.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/main/server/http-server.js';
import { Front } from '../../src/main/front/front.js';
import { HostClient } from '../../src/main/front/host-client.js';
import { workerHost } from '../../src/main/front/worker-host.js';
import { cli } from '../support/cli.js';
import { copyFixture, sha256File, tempDir, type StoreName } from '../support/fixtures.js';

const SEED = 20261201;
const CASE_TIMEOUT_MS = 30_000;
const PAGE = 4096;

/**
 * Rebuilds events and runs without constraints or type affinity, as a damaged or hand-made store
 * may have them, so that NULLs and numbers can be written where Active Graph writes text.
 */
const LOOSEN = [
  `CREATE TABLE events_loose (seq INTEGER PRIMARY KEY, id, type, actor, payload, frame_id, caused_by, timestamp, run_id)`,
  `INSERT INTO events_loose SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp, run_id FROM events`,
  `DROP TABLE events`,
  `ALTER TABLE events_loose RENAME TO events`,
  `CREATE INDEX idx_events_run ON events(run_id, seq)`,
  `CREATE TABLE runs_loose (run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id)`,
  `INSERT INTO runs_loose SELECT * FROM runs`,
  `DROP TABLE runs`,
  `ALTER TABLE runs_loose RENAME TO runs`,
];

/** Structural mutations, written with SQL into the copy (the copy is ours to change). */
const SQL_MUTATIONS: Record<string, string[]> = {
  'NULL type and actor': [...LOOSEN, `UPDATE events SET type = NULL, actor = NULL WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 5)`],
  'NULL payload': [...LOOSEN, `UPDATE events SET payload = NULL WHERE seq = (SELECT min(seq) + 3 FROM events)`],
  'numbers where text belongs': [...LOOSEN, `UPDATE events SET type = 42, payload = 7, id = 3.5 WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 4 OFFSET 2)`],
  'blob payload': [...LOOSEN, `UPDATE events SET payload = X'7B2278223A20317D' WHERE seq = (SELECT min(seq) + 1 FROM events)`],
  'payload nested 100,000 deep': [
    `UPDATE events SET payload = '{"a": ' || replace(hex(zeroblob(50000)), '00', '[') || replace(hex(zeroblob(50000)), '00', ']') || '}' WHERE seq = (SELECT min(seq) + 2 FROM events)`,
  ],
  'huge payload (8 MB string)': [`UPDATE events SET payload = '{"text": "' || hex(zeroblob(4000000)) || '"}' WHERE seq = (SELECT min(seq) + 2 FROM events)`],
  '__proto__ keys': [
    `UPDATE events SET payload = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "id": "obj_1"}' WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 6)`,
  ],
  'NaN and Infinity tokens': [
    `UPDATE events SET payload = '{"score": NaN, "max": Infinity, "min": -Infinity}' WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 3 OFFSET 5)`,
  ],
  'invalid UTF-8': [`UPDATE events SET payload = CAST(X'7B2261223A2022FFFEC080227D' AS TEXT), actor = CAST(X'C328' AS TEXT) WHERE seq = (SELECT min(seq) + 4 FROM events)`],
  'negative seqs': [`UPDATE events SET seq = -seq WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 20)`],
  'out-of-order seqs': [`UPDATE events SET seq = seq + 100000 WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 10)`],
  'dangling causes': [`UPDATE events SET caused_by = 'evt_that_never_was' WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 50 OFFSET 10)`],
  'lineage cycle': [
    `UPDATE runs SET parent_run_id = (SELECT run_id FROM runs WHERE parent_run_id IS NOT NULL LIMIT 1) WHERE run_id = (SELECT parent_run_id FROM runs WHERE parent_run_id IS NOT NULL LIMIT 1)`,
  ],
  'self-parented run': [`UPDATE runs SET parent_run_id = run_id, forked_at_event_id = 'evt_nowhere' WHERE rowid = 1`],
  'NULL run columns': [...LOOSEN, `UPDATE runs SET created_at = NULL, label = 5 WHERE rowid = 1`],
  'events without a run row': [`DELETE FROM runs WHERE rowid = 1`],
  'empty runs table': [`DELETE FROM runs`],
  'dropped meta': [`DROP TABLE meta`],
  'schema_version as a number': [`UPDATE meta SET value = 1 WHERE key = 'schema_version'`],
  'duplicate event ids across seqs': [
    ...LOOSEN,
    `UPDATE events SET id = (SELECT id FROM events ORDER BY seq LIMIT 1) WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 5 OFFSET 1)`,
  ],
};

type ByteMutation =
  { kind: 'bitflips'; flips: { at: number; bit: number }[] } | { kind: 'truncate'; keep: number } | { kind: 'zeroPage'; page: number } | { kind: 'bogusWal'; bytes: number[] };

const STORES: StoreName[] = ['demo', 'archived', 'corrupted'];

function applyBytes(file: string, m: ByteMutation): void {
  const bytes = fs.readFileSync(file);
  if (m.kind === 'bitflips') {
    for (const f of m.flips) {
      const at = Math.floor(f.at * bytes.length);
      bytes[at] = bytes[at]! ^ (1 << f.bit);
    }
    fs.writeFileSync(file, bytes);
  } else if (m.kind === 'truncate') {
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(m.keep * bytes.length)));
  } else if (m.kind === 'zeroPage') {
    const pages = Math.floor(bytes.length / PAGE);
    bytes.fill(0, (m.page % pages) * PAGE, ((m.page % pages) + 1) * PAGE);
    fs.writeFileSync(file, bytes);
  } else {
    fs.writeFileSync(file + '-wal', Buffer.from(m.bytes));
  }
}

function applySql(file: string, statements: string[]): void {
  const db = new Database(file);
  for (const s of statements) db.exec(s);
  db.close(); // checkpoints: no -wal is left behind
}

function fingerprint(file: string): string {
  return [file, file + '-wal'].map((f) => (fs.existsSync(f) ? `${sha256File(f)}:${fs.statSync(f).mtimeMs}` : '-')).join('|');
}

function post(port: number, token: string, op: string, input: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${op}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-inspector-token': token, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const UNTYPED = new Set(['InternalError', 'TransportError']);
const tally = { tried: 0, handled: 0, typedErrors: 0, views: 0 };

async function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzzed stores', () => {
  let host: HostClient;
  let server: RunningServer;
  beforeAll(async () => {
    const renderer = tempDir();
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    // The real browser-mode path: the data host in a worker thread behind the front.
    host = new HostClient(workerHost({ demoStoreUrl: `sqlite:///${copyFixture('demo').file}` }));
    server = await startServer({ front: new Front(host, null), rendererDir: renderer, dropDir: tempDir() });
  });
  afterAll(async () => {
    await server.close();
    await host.close();
    console.log(`fuzzed stores: ${tally.tried} tried, ${tally.handled} handled (${tally.views} views, ${tally.typedErrors} typed errors)`);
  });

  /** Opens one mutated store every way a user can; fails on any untyped outcome. */
  async function exercise(file: string, label: string): Promise<void> {
    tally.tried++;
    const before = fingerprint(file);
    const url = `sqlite:///${file}`;
    const dir = path.dirname(file);
    for (const argv of [
      ['inspect', url, '--json'],
      ['replay', url, '--json'],
      ['export-trace', url, '--format', 'jsonl'],
    ]) {
      const res = await withTimeout(`${label}: ${argv[0]}`, cli(argv, dir));
      expect(res.stderr, `${label}: ${argv.join(' ')}`).not.toMatch(/^error: |\n\s+at /);
      if (res.code === 0) tally.views++;
      else {
        expect([2, 3, 4], `${label}: ${argv[0]} exit ${res.code}: ${res.stderr.slice(0, 300)}`).toContain(res.code);
        tally.typedErrors++;
      }
    }

    const call = async (op: string, input: unknown): Promise<any> => {
      const res = await withTimeout(`${label}: ${op}`, post(server.port, server.token, op, input));
      expect(res.status, `${label}: ${op}`).toBe(200);
      const reply = JSON.parse(res.body);
      if (!reply.ok) {
        expect(UNTYPED.has(reply.error.className), `${label}: ${op}: ${reply.error.className}: ${reply.error.summary}`).toBe(false);
        tally.typedErrors++;
      } else tally.views++;
      return reply;
    };
    const opened = await call('openStore', { url });
    if (opened.ok) {
      const storeId = opened.value.storeId;
      const runs = await call('listRuns', { storeId });
      for (const run of (runs.ok ? runs.value : []).slice(0, 3)) {
        const runId = run.run_id;
        if (typeof runId !== 'string' || runId === '' || runId.length > 200) continue;
        const page = await call('timelineWindow', { storeId, runId, offset: 0, limit: 40 });
        for (const row of (page.ok ? page.value.rows : []).slice(0, 8)) {
          if (typeof row.id === 'string' && row.id !== '' && row.id.length <= 200) await call('getEvent', { storeId, runId, eventId: row.id });
        }
        await call('rateStrip', { storeId, runId, buckets: 50 });
        await call('graphOverview', { storeId, runId });
        await call('status', { storeId, runId, tail: 10 });
        await call('exportTrace', { storeId, runId, format: 'jsonl', maxLines: 200 });
      }
      await call('closeStore', { storeId });
    }
    expect(fingerprint(file), `${label}: the store's bytes or mtime changed`).toBe(before);
    tally.handled++;
  }

  it('structural damage written with SQL: every case a typed error or a view', async () => {
    for (const [label, statements] of Object.entries(SQL_MUTATIONS)) {
      for (const store of STORES) {
        const { file } = copyFixture(store);
        applySql(file, statements);
        await exercise(file, `${store}: ${label}`);
      }
    }
  }, 600_000);

  it('byte-level damage (bit flips, truncation, zeroed pages, bogus -wal), seeded', async () => {
    const mutation: fc.Arbitrary<ByteMutation> = fc.oneof(
      fc.record({
        kind: fc.constant('bitflips' as const),
        flips: fc.array(fc.record({ at: fc.double({ min: 0, max: 0.9999, noNaN: true }), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 40 }),
      }),
      fc.record({ kind: fc.constant('truncate' as const), keep: fc.double({ min: 0.001, max: 0.999, noNaN: true }) }),
      fc.record({ kind: fc.constant('zeroPage' as const), page: fc.integer({ min: 0, max: 200 }) }),
      fc.record({ kind: fc.constant('bogusWal' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 5000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...STORES), mutation, async (store, m) => {
        const { file } = copyFixture(store);
        applyBytes(file, m);
        await exercise(file, `${store}: ${m.kind} ${JSON.stringify(m).slice(0, 120)}`);
      }),
      { seed: SEED, numRuns: 120, endOnFailure: true },
    );
  }, 900_000);
});
