/** Recently opened store URLs, passwords stripped (a password is never written to disk). */
import fs from 'node:fs';
import { stripSecrets } from '../store/store-url.js';

const MAX = 10;

export class RecentStores {
  constructor(private readonly file: string) {}

  list(): string[] {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
    } catch {
      return [];
    }
  }

  add(url: string): void {
    // Keep the URL without its password; reopening asks for it again.
    const safe = stripSecrets(url);
    const next = [safe, ...this.list().filter((u) => u !== safe)].slice(0, MAX);
    fs.writeFileSync(this.file, JSON.stringify(next, null, 2));
  }
}
