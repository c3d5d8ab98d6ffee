/**
 * Browser mode: the built renderer and the contract over HTTP (calls) and SSE (pushes), on
 * 127.0.0.1 only. Every request must carry the per-launch token (query on first load, then an
 * HttpOnly cookie or the X-Inspector-Token header) and no foreign Origin or Host is accepted.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch } from '../service/dispatch.js';
import type { InspectorService } from '../service/inspector-service.js';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
const MAX_BODY = 1 << 20;

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(opts: { service: InspectorService; rendererDir: string; port?: number }): Promise<RunningServer> {
  const token = randomBytes(24).toString('hex');
  const tokenBuf = Buffer.from(token);
  const rendererDir = path.resolve(opts.rendererDir);
  let port = opts.port ?? 0;
  const sse = new Set<http.ServerResponse>();
  const unsubscribe = opts.service.onPush((channel, payload) => {
    const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of sse) res.write(frame);
  });

  const validToken = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const buf = Buffer.from(candidate);
    return buf.length === tokenBuf.length && timingSafeEqual(buf, tokenBuf);
  };

  const refuse = (res: http.ServerResponse, code: number, message: string): void => {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(message + '\n');
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) return refuse(res, 403, 'forbidden: unexpected Host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) return refuse(res, 403, 'forbidden: foreign Origin');
    const cookieToken = /(?:^|;\s*)ri_token=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
    const queryToken = url.searchParams.get('token');
    const headerToken = req.headers['x-inspector-token'];
    if (!validToken(queryToken) && !validToken(cookieToken) && !validToken(typeof headerToken === 'string' ? headerToken : undefined)) {
      return refuse(res, 401, 'unauthorized: open the URL with ?token=... that run-inspector serve printed');
    }
    const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { ...security, 'content-type': 'text/event-stream', connection: 'keep-alive' });
        res.write(': connected\n\n');
        sse.add(res);
        req.on('close', () => sse.delete(res));
        return;
      }
      if (req.method !== 'POST') return refuse(res, 405, 'method not allowed');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(res, 415, 'expected application/json');
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) return refuse(res, 413, 'request too large');
        chunks.push(chunk as Buffer);
      }
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return refuse(res, 400, 'body is not JSON');
      }
      const result = await dispatch(opts.service, url.pathname.slice('/api/'.length), input);
      res.writeHead(200, { ...security, 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return refuse(res, 404, 'not found');
    const headers: Record<string, string> = { ...security, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' };
    if (file.endsWith('.html')) {
      headers['content-security-policy'] = CSP;
      headers['x-frame-options'] = 'DENY';
      if (validToken(queryToken)) headers['set-cookie'] = `ri_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : fs.readFileSync(file));
  });

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
