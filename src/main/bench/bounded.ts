/**
 * Every request bounded: the browser-mode server (a child process, its RSS sampled from /proc)
 * driven over HTTP on the million-event run. A whole export by pages, four at once; a what-if that
 * leaves out the run's first event and all it caused; and bursts of heavy calls on a cold run,
 * each dropped by its client after 0.6 s, while a cheap page is timed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from '../paths.js';
import { BIG_RUN, DIFF_A, DIFF_B } from './bench-store.js';
import type { BenchContext } from './extra.js';

const CLI = path.join(ROOT, 'out', 'main', 'cli.js');

interface Server {
  child: ChildProcess;
  base: string;
  token: string;
  /** Current and peak resident memory of the server process, in MB. */
  rss(): { now: number; peak: number };
}

async function startServer(file: string): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', `sqlite:///${file}`, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', () => reject(new Error(out)));
  });
  const m = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/.exec(url)!;
  const rss = () => {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
    return { now: kb('VmRSS'), peak: kb('VmHWM') };
  };
  return { child, base: m[1]!, token: m[2]!, rss };
}

async function api<T>(server: Server, op: string, input: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(`${server.base}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inspector-token': server.token },
    body: JSON.stringify(input),
    signal,
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { summary: string } };
  if (!body.ok) throw new Error(`${op}: ${body.error?.summary}`);
  return body.value;
}

export async function boundedBench(ctx: BenchContext): Promise<void> {
  process.stdout.write('\nevery request bounded (browser-mode server, 1,000,000-event run)\n');
  const mb = (x: number) => `${x.toFixed(0)} MB`;

  // Whole exports, page by page, four at once (each page at most 2,000 lines).
  let server = await startServer(ctx.file);
  try {
    const { storeId } = (await api<{ storeId: string }[]>(server, 'listStores', {}))[0]!;
    const before = server.rss().now;
    const exportAll = async () => {
      let after: unknown;
      let bytes = 0;
      for (;;) {
        const page = await api<{ lines: string[]; next: unknown }>(server, 'exportTrace', { storeId, runId: BIG_RUN, format: 'jsonl', after, maxLines: 2000 });
        for (const l of page.lines) bytes += l.length + 1;
        if (!page.next) return bytes;
        after = page.next;
      }
    };
    const [sizes, exportMs] = await ctx.time(() => Promise.all([exportAll(), exportAll(), exportAll(), exportAll()]));
    ctx.record('4 whole JSONL exports at once, by pages of 2,000', `${(exportMs / 1000).toFixed(1)} s, ${(sizes[0]! / 1e6).toFixed(0)} MB each`);
    ctx.record('  server RSS before → peak', `${mb(before)} → ${mb(server.rss().peak)}`);

    // What if the run's first event had not happened, with everything it caused.
    const first = (await api<{ rows: { id: string }[] }>(server, 'timelineWindow', { storeId, runId: BIG_RUN, offset: 0, limit: 1 })).rows[0]!.id;
    const t0 = performance.now();
    const r = await api<{ excludedCount: number; excluded: unknown[]; divergentObjects: number; objects: unknown[] }>(server, 'whatIf', {
      storeId,
      runId: BIG_RUN,
      exclude: [first],
      withConsequences: true,
    });
    const whatIfMs = performance.now() - t0;
    const reply = JSON.stringify(r).length;
    ctx.record(
      `what-if without ${first} and its consequences`,
      `${ctx.ms(whatIfMs)}: ${r.excludedCount} left out, ${r.divergentObjects} objects differ; reply ${(reply / 1024).toFixed(0)} KB`,
    );
    ctx.record('  server peak RSS after export and what-if', mb(server.rss().peak));
  } finally {
    server.child.kill('SIGTERM');
  }

  // Bursts of heavy calls on a cold run, dropped by their clients, while a cheap page is timed.
  server = await startServer(ctx.file);
  try {
    const { storeId } = (await api<{ storeId: string }[]>(server, 'listStores', {}))[0]!;
    const heavy = (i: number) => {
      const calls: [string, unknown][] = [
        ['graphOverview', { storeId, runId: BIG_RUN, asOfSeq: 100_000 * (i + 1) }],
        ['spans', { storeId, runId: BIG_RUN, width: 1200 }],
        ['runCosts', { storeId, runId: BIG_RUN }],
        ['status', { storeId, runId: BIG_RUN, tail: 10 }],
        ['diff', { storeId, runA: DIFF_A, runB: DIFF_B }],
      ];
      return calls[i % calls.length]!;
    };
    for (let round = 1; round <= 2; round++) {
      const waits: number[] = [];
      let burstDone = false;
      const cheap = (async () => {
        for (let k = 0; !burstDone; k++) {
          const t = performance.now();
          await api(server, 'timelineWindow', { storeId, runId: DIFF_A, offset: (k * 997) % 90_000, limit: 100 });
          waits.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      for (let burst = 0; burst < 4; burst++) {
        await Promise.all(
          Array.from({ length: 5 }, (_, j) => {
            const [op, input] = heavy(burst * 5 + j);
            const c = new AbortController();
            setTimeout(() => c.abort(), 600);
            return api(server, op, input, c.signal).catch(() => {});
          }),
        );
        await new Promise((r) => setTimeout(r, 700));
      }
      burstDone = true;
      await cheap;
      waits.sort((a, b) => a - b);
      const q = (p: number) => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))]!;
      ctx.record(`burst round ${round}: 20 heavy calls dropped after 0.6 s`, `cheap page p50 ${ctx.ms(q(0.5))}, max ${ctx.ms(q(1))} (${waits.length} pages)`);
      ctx.record(`  server RSS after round ${round} / peak`, `${mb(server.rss().now)} / ${mb(server.rss().peak)}`);
    }
  } finally {
    server.child.kill('SIGTERM');
  }
}
