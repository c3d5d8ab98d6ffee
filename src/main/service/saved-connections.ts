/**
 * Saved Postgres connections. URLs are written to disk without their password; a password is kept
 * only when an OS keyring protects it (Electron's safeStorage). Without one the connection is saved
 * without it and the user is told why. Passwords never travel to the renderer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../base/errors.js';
import { redactUrl, stripSecrets } from '../store/store-url.js';

export interface SecretProtector {
  /** Whether secrets can be protected by the OS here, and if not, why. */
  availability(): { ok: true } | { ok: false; reason: string };
  encrypt(secret: string): string;
  decrypt(sealed: string): string;
}

interface Entry {
  name: string;
  /** The URL without its password. */
  url: string;
  /** The password, sealed by the protector (base64), when one was saved. */
  sealedPassword?: string;
}

export interface SavedConnectionInfo {
  name: string;
  url: string;
  passwordSaved: boolean;
}

/** The URL without any secret, and the password it carried (userinfo or `?password=`). */
function splitPassword(url: string): { url: string; password: string | null } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  return { url: stripSecrets(url), password: password || null };
}

export class SavedConnections {
  constructor(
    private readonly file: string,
    private readonly protector: SecretProtector | null,
  ) {}

  private read(): Entry[] {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v : [];
    } catch {
      return [];
    }
  }

  private write(entries: Entry[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(entries, null, 2), { mode: 0o600 });
  }

  list(): SavedConnectionInfo[] {
    // redactUrl: a file written by hand (or by an older version) may still hold a secret.
    return this.read().map((e) => ({ name: e.name, url: redactUrl(e.url), passwordSaved: e.sealedPassword !== undefined }));
  }

  /** Saves (or replaces) a connection; says whether the password was kept, and if not, why. */
  save(name: string, url: string, savePassword: boolean): { saved: SavedConnectionInfo; note: string | null } {
    const { url: bare, password } = splitPassword(url);
    const entry: Entry = { name, url: bare };
    let note: string | null = null;
    if (password !== null && savePassword) {
      const available = this.protector?.availability() ?? { ok: false as const, reason: 'browser mode has no OS keyring to protect it' };
      if (available.ok) entry.sealedPassword = this.protector!.encrypt(password);
      else note = `The password was not saved: ${available.reason}. You will be asked for it when you connect.`;
    }
    this.write([...this.read().filter((e) => e.name !== name), entry]);
    return { saved: { name, url: bare, passwordSaved: entry.sealedPassword !== undefined }, note };
  }

  delete(name: string): boolean {
    const entries = this.read();
    const kept = entries.filter((e) => e.name !== name);
    this.write(kept);
    return kept.length !== entries.length;
  }

  /** The URL to connect with (main process only), the password restored when one was saved. */
  connectionUrl(name: string, password?: string): string {
    const e = this.read().find((x) => x.name === name);
    if (!e) throw usageError(`no saved connection named '${name}'`);
    const secret = password ?? (e.sealedPassword && this.protector ? this.protector.decrypt(e.sealedPassword) : undefined);
    if (!secret) return e.url;
    const u = new URL(e.url);
    u.password = encodeURIComponent(secret);
    return u.toString();
  }
}
