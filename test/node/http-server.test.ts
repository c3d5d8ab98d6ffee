/** Browser mode's door: loopback only, the per-launch token on every request, no foreign Origin or Host. */
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/main/server/http-server.js';
import { Front } from '../../src/main/front/front.js';
import { HostClient } from '../../src/main/front/host-client.js';
import { workerHost } from '../../src/main/front/worker-host.js';
import { copyFixture, tempDir } from '../support/fixtures.js';
import { cli } from '../support/cli.js';
import fs from 'node:fs';
import path from 'node:path';

function request(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: opts.host ?? '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('browser-mode server', () => {
  let server: RunningServer;
  let host: HostClient;
  let renderer: string;
  let dropDir: string;
  beforeAll(async () => {
    renderer = tempDir();
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    const { file } = copyFixture('demo');
    // The real browser-mode path: the data host in a worker thread behind the front.
    host = new HostClient(workerHost({ demoStoreUrl: `sqlite:///${file}` }));
    dropDir = tempDir();
    server = await startServer({ front: new Front(host, null), rendererDir: renderer, dropDir });
  });
  afterAll(async () => {
    await server.close();
    await host.close();
  });

  const json = (token?: string, origin?: string) => ({ 'content-type': 'application/json', ...(token ? { 'x-inspector-token': token } : {}), ...(origin ? { origin } : {}) });

  it('keeps a dropped file in its drop folder (token required, a plain name only) and the copy opens as a store', async () => {
    const bytes = fs.readFileSync(copyFixture('demo').file);
    const drop = (query: string, token?: string) =>
      request(server.port, {
        path: `/api/drop?${query}`,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...(token ? { 'x-inspector-token': token } : {}) },
        body: bytes,
      });
    expect((await drop('name=demo.db&batch=abcdefgh')).status).toBe(401);
    expect((await drop('name=..&batch=abcdefgh', server.token)).status).toBe(400);
    expect((await drop(`name=${encodeURIComponent('../escape.db')}&batch=abcdefgh`, server.token)).status).toBe(400);
    expect((await drop('name=demo.db&batch=../up', server.token)).status).toBe(400);
    expect(fs.readdirSync(dropDir)).toEqual([]);
    const ok = await drop('name=demo.db&batch=abcdefgh', server.token);
    expect(ok.status).toBe(200);
    const kept = JSON.parse(ok.body).value.path as string;
    expect(kept).toBe(path.join(dropDir, 'abcdefgh', 'demo.db'));
    expect(fs.readFileSync(kept).equals(bytes)).toBe(true);
    const opened = await request(server.port, { path: '/api/openStore', method: 'POST', headers: json(server.token), body: JSON.stringify({ url: `sqlite:///${kept}` }) });
    expect(JSON.parse(opened.body)).toMatchObject({ ok: true, value: { driver: 'sqlite' } });
  });

  it('prints a loopback URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('refuses API calls without the token, with a wrong one, or with the token only in a cookie or the query', async () => {
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(), body: '{}' })).status).toBe(401);
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: json('a'.repeat(48)), body: '{}' })).status).toBe(401);
    expect((await request(server.port, { path: '/api/events' })).status).toBe(401);
    const cookie = { 'content-type': 'application/json', cookie: `ri_token=${server.token}` };
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: cookie, body: '{}' })).status).toBe(401);
    expect((await request(server.port, { path: `/api/listStores?token=${server.token}`, method: 'POST', headers: json(), body: '{}' })).status).toBe(401);
  });

  it('serves the static UI with a strict CSP and never sets a cookie', async () => {
    for (const p of ['/', `/?token=${server.token}`]) {
      const res = await request(server.port, { path: p });
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('answers every malformed path without a token and keeps serving', async () => {
    // '//' and '///' name the index (extra slashes are dropped); the others are refused.
    for (const p of ['//', '///']) expect((await request(server.port, { path: p })).status, p).toBe(200);
    for (const p of ['//[', '/%', '/%zz', '/%c0%ae%c0%ae/etc/passwd', '/%00', '/..%2f..%2f', '/api/%zz', '//api//']) {
      const res = await request(server.port, { path: p });
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
    }
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(server.token), body: '{}' })).status).toBe(200);
  });

  it('survives a client that closes mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => {
        socket.write(
          `POST /api/listStores HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nX-Inspector-Token: ${server.token}\r\nContent-Length: 1000\r\n\r\n{"a": 12345`,
        );
        setTimeout(() => {
          socket.resetAndDestroy();
          resolve();
        }, 50);
      });
      socket.on('error', () => {});
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(server.token), body: '{}' })).status).toBe(200);
  });

  it('answers a body that is not one JSON value with a 400, and keeps serving', async () => {
    for (const body of ['{', 'NaN', '{}{}', '\ufeff{}', '[1,', 'undefined']) {
      const res = await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(server.token), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatch(/not one JSON value/);
    }
    expect((await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(server.token), body: '{}' })).status).toBe(200);
  });

  it('does not serve what a symlink inside the renderer folder points to', async () => {
    const outside = path.join(tempDir(), 'secret.txt');
    fs.writeFileSync(outside, 'secret');
    fs.symlinkSync(outside, path.join(renderer, 'leak.txt'));
    fs.symlinkSync(path.dirname(outside), path.join(renderer, 'dir'));
    expect((await request(server.port, { path: '/leak.txt' })).status).toBe(404);
    expect((await request(server.port, { path: '/dir/secret.txt' })).status).toBe(404);
    expect((await request(server.port, { path: '/index.html' })).status).toBe(200);
  });

  it('answers contract calls with the token', async () => {
    const res = await request(server.port, { path: '/api/openDemoStore', method: 'POST', headers: json(server.token), body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { displayName: 'demo.db', driver: 'sqlite' } });
  });

  it('refuses a foreign Origin even with the token', async () => {
    const res = await request(server.port, { path: '/api/listStores', method: 'POST', headers: json(server.token, 'http://evil.example'), body: '{}' });
    expect(res.status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    const res = await request(server.port, { path: '/api/listStores', method: 'POST', headers: { ...json(server.token), host: `evil.example:${server.port}` }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('validates inputs through the contract', async () => {
    const res = await request(server.port, { path: '/api/timelineWindow', method: 'POST', headers: json(server.token), body: JSON.stringify({ storeId: 'nope', offset: -1 }) });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { className: 'InvalidRequest' } });
  });

  it('does not serve files outside the renderer', async () => {
    const res = await request(server.port, { path: `/..%2f..%2fetc%2fpasswd?token=${server.token}` });
    expect(res.status).toBe(404);
  });

  it('serve on a port in use exits 2 with a hint, instead of hanging', async () => {
    const { file } = copyFixture('demo');
    const res = await cli(['serve', `sqlite:///${file}`, '--port', String(server.port)], os.tmpdir());
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`port ${server.port} on 127.0.0.1 is already in use.*pick another --port, or omit --port`));
  });

  it('listens on loopback only', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) {
      // No non-loopback interface on this machine: assert the bound address instead.
      expect(server.url.startsWith('http://127.0.0.1:')).toBe(true);
      return;
    }
    await expect(request(server.port, { path: '/', host: external.address })).rejects.toThrow(/ECONNREFUSED/);
  });
});
