/**
 * Browser mode: the built renderer and the contract over HTTP (calls) and a server-sent event
 * stream (pushes), on 127.0.0.1 only. The server only authenticates, validates and forwards: store
 * work runs in the data host's worker thread, so a long call never delays another one, and a
 * call whose client went away is cancelled there. The static UI carries no data and needs no secret; every
 * `/api/` request must carry the per-launch token in the X-Inspector-Token header (never a cookie:
 * browsers send 127.0.0.1's cookies to every port). No foreign Origin or Host is accepted.
 *
 * The handler is total: whatever arrives (an unparsable path, a body cut short, a reply that cannot
 * be serialized), the answer is a 4xx/5xx and the server keeps serving.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CSP, resolveRendererFile } from '../renderer-files.js';
import type { Front } from '../front/front.js';
import { toSerializedError } from '../base/errors.js';

const MAX_BODY = 1 << 20;
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

/** A reply body, or a structured error when the value cannot be serialized (too deep, cyclic). */
function serialize(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    return JSON.stringify({
      ok: false,
      error: {
        ...toSerializedError(err),
        className: 'ReplyNotSerializable',
        summary: 'the reply could not be sent to the window',
        why: 'Replies cross to the window as JSON; this one could not be written as JSON (nested too deeply, or too large).',
        howToFix: 'Open the event in the CLI (run-inspector export-trace) to see its raw text.',
      },
    });
  }
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyError(413, 'request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A dropped file's name as it is kept: a plain file name, nothing that climbs out of its folder. */
const droppedName = (name: string | null): string | null => (name && name.length <= 255 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..' ? name : null);

/**
 * A file dropped on the window: the browser gives its bytes, not its path, so they are copied into
 * `dir/<batch>/<name>` (a store and its -wal dropped together share a batch) and the copy is opened.
 */
async function receiveDropped(req: http.IncomingMessage, dir: string, query: URLSearchParams): Promise<string> {
  const name = droppedName(query.get('name'));
  const batch = query.get('batch') ?? '';
  if (!name || !/^[a-z0-9]{8,40}$/.test(batch)) throw new BodyError(400, 'bad request: a dropped file needs ?name=<file name>&batch=<8-40 lowercase letters or digits>');
  const folder = path.join(dir, batch);
  await fs.promises.mkdir(folder, { recursive: true });
  const file = path.join(folder, name);
  const partial = `${file}.part`;
  try {
    await pipeline(req, fs.createWriteStream(partial));
    await fs.promises.rename(partial, file);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  return file;
}

export async function startServer(opts: { front: Front; rendererDir: string; port?: number; dropDir: string }): Promise<RunningServer> {
  const token = randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  let port = opts.port ?? 0;
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = opts.front.host.onPush((channel, payload) => {
    const frame = `event: ${channel}\ndata: ${serialize(payload)}\n\n`;
    for (const res of sse) if (!res.destroyed) res.write(frame);
  });

  const validToken = (candidate: unknown): boolean => {
    if (typeof candidate !== 'string' || candidate === '') return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  };

  const refuse = (res: http.ServerResponse, code: number, message: string): void => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(code, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
    res.end(message + '\n');
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // Split by hand: `new URL()` throws on paths such as `//[`, and this runs before any check.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const pathname = q < 0 ? raw : raw.slice(0, q);
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) return refuse(res, 403, 'forbidden: unexpected Host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) return refuse(res, 403, 'forbidden: foreign Origin');

    if (pathname.startsWith('/api/')) {
      if (!validToken(req.headers['x-inspector-token'])) {
        return refuse(res, 401, 'unauthorized: open the URL with ?token=... that run-inspector serve printed');
      }
      if (pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
        res.write(': connected\n\n');
        sse.add(res);
        res.on('close', () => sse.delete(res));
        return;
      }
      if (req.method !== 'POST') return refuse(res, 405, 'method not allowed');
      if (pathname === '/api/drop') {
        if (req.headers['content-type'] !== 'application/octet-stream') return refuse(res, 415, 'expected application/octet-stream');
        let file: string;
        try {
          file = await receiveDropped(req, opts.dropDir, new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
        } catch (err) {
          if (err instanceof BodyError) return refuse(res, err.status, err.message);
          return refuse(res, 500, `the dropped file could not be kept: ${(err as Error).message}`);
        }
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
        res.end(serialize({ ok: true, value: { path: file } }));
        return;
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'expected application/json');
      let body: string;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyError) return refuse(res, err.status, err.message);
        return void res.destroy(); // the client went away mid-body: there is nobody to answer
      }
      let input: unknown;
      try {
        input = JSON.parse(body || '{}');
      } catch {
        return refuse(res, 400, 'bad request: the body is not one JSON value (send the call input as JSON, UTF-8, no BOM)');
      }
      // A client that goes away (the window moved on and aborted its fetch) cancels the call.
      const abandoned = new AbortController();
      res.on('close', () => res.writableFinished || abandoned.abort());
      const result = await opts.front.call(pathname.slice('/api/'.length), input, abandoned.signal);
      if (res.destroyed || abandoned.signal.aborted) return;
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
      res.end(serialize(result));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const found = resolveRendererFile(opts.rendererDir, pathname);
    if (!found.ok) return refuse(res, found.status, found.reason);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': found.contentType };
    if (found.isHtml) {
      headers['content-security-policy'] = CSP;
      headers['x-frame-options'] = 'DENY';
    }
    const body = req.method === 'HEAD' ? undefined : await fs.promises.readFile(found.file);
    res.writeHead(200, headers);
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    req.on('error', () => res.destroy());
    res.on('error', () => {});
    handle(req, res).catch(() => refuse(res, 500, 'internal error'));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const res of sse) res.end();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections(); // idle keep-alive sockets of an open browser would hold close() forever
      await closed;
    },
  };
}
