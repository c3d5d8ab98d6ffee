/**
 * The built renderer as both doors serve it (Electron's `app://` protocol and browser mode's HTTP
 * server): one CSP, one MIME table and one path guard that never throws, whatever the request path.
 */
import fs from 'node:fs';
import path from 'node:path';

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

export type RendererFile = { ok: true; file: string; contentType: string; isHtml: boolean } | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps a request path (still percent-encoded, without query) to a file inside `rendererDir`.
 * Undecodable paths are a 400, anything outside the directory or missing a 404; it never throws.
 */
export function resolveRendererFile(rendererDir: string, rawPath: string): RendererFile {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'bad request: the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'bad request: NUL in path' };
  const rel = decoded.replace(/^\/+/, '') || 'index.html';
  let file: string;
  try {
    // Real paths, not lexical ones: a symlink inside the folder must not serve what it points to.
    const root = fs.realpathSync(rendererDir);
    file = fs.realpathSync(path.resolve(root, rel));
    if (!file.startsWith(root + path.sep) || !fs.statSync(file).isFile()) return { ok: false, status: 404, reason: 'not found' };
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  const ext = path.extname(file);
  return { ok: true, file, contentType: MIME[ext] ?? 'application/octet-stream', isHtml: ext === '.html' };
}
