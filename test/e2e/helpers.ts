import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.resolve(ROOT, '../shared/fixtures/activegraph');
export const SCREENS = path.join(ROOT, 'test-results', 'screens');

export function fixtureCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-e2e-'));
  const file = path.join(dir, `${name}.db`);
  fs.copyFileSync(path.join(FIXTURES, `${name}.db`), file);
  return file;
}

export function manifest(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.db.manifest.json`), 'utf8'));
}

export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`) });
}
