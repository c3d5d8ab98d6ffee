/**
 * The layer rules (scripts/layers.mjs) through the project's real ESLint config: an import that
 * breaks a layer is an error, a door between layers is not, and a file of no layer is an error.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/main/paths.js';

const eslint = new ESLint({ cwd: ROOT });

/** The layer-rule messages for `code` as the file at `file` (which need not exist). */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

const BREAKING: [file: string, code: string][] = [
  ['src/main/engine/x.ts', "import { dispatch } from '../service/dispatch.js';"],
  ['src/main/engine/x.ts', "import { forkRun } from '../usecases/fork.js';"],
  ['src/main/store/x.ts', "import { replay } from '../engine/projection.js';"],
  ['src/main/store/x.ts', "import { ROOT } from '../paths.js';"],
  ['src/main/base/x.ts', "import { openStore } from '../store/open-store.js';"],
  ['src/main/front/x.ts', "import { SqliteStore } from '../store/sqlite/sqlite-store.js';"],
  ['src/main/front/x.ts', "import Database from 'better-sqlite3';"],
  ['src/main/server/x.ts', "import { InspectorService } from '../service/inspector-service.js';"],
  ['src/main/usecases/x.ts', "import { runHost } from '../host/host.js';"],
  ['src/main/service/x.ts', "import { startServer } from '../server/http-server.js';"],
  ['src/main/service/x.ts', "import { app } from 'electron';"],
  ['src/renderer/src/x.ts', "import fs from 'node:fs';"],
  ['src/renderer/src/x.ts', "import { replay } from '../../main/engine/projection';"],
  ['src/shared/x.ts', "import { usageError } from '../main/base/errors.js';"],
  ['src/preload/x.ts', "import { api } from '../renderer/src/api/transport';"],
];

describe('layers by allow-list', () => {
  it.each(BREAKING)('%s: %s is refused', async (file, code) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/may not import .*see scripts\/layers\.mjs/);
  });

  it('the doors between layers are open: a store name for a front, the service for the CLI, the store for the engine', async () => {
    expect(await layerErrors('src/main/front/x.ts', "import { parseStoreUrl } from '../store/store-url.js';")).toEqual([]);
    expect(await layerErrors('src/main/cli/x.ts', "import { forkRun } from '../usecases/fork.js';")).toEqual([]);
    expect(await layerErrors('src/main/engine/x.ts', "import { scanEvents } from '../store/event-store.js';")).toEqual([]);
    expect(await layerErrors('src/renderer/src/x.ts', "import { operations } from '../../shared/contract';")).toEqual([]);
  });

  it('a type may cross where a value may not: the front names the service types, never its code', async () => {
    expect(await layerErrors('src/main/front/x.ts', "import type { HostSnapshot } from '../service/inspector-service.js';")).toEqual([]);
    expect(await layerErrors('src/main/front/x.ts', "import { InspectorService } from '../service/inspector-service.js';")).toHaveLength(1);
  });

  it('a file of no layer is an error, whatever it imports', async () => {
    expect(await layerErrors('src/main/newfolder/x.ts', 'export const x = 1;')).toEqual(['src/main/newfolder/x.ts belongs to no layer: add it to scripts/layers.mjs']);
  });
});
