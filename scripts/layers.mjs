/**
 * The layers of the code and what each may import: an allow-list, as VS Code's code-import-patterns.
 * Every source file belongs to exactly one layer (the first whose `files` match); a file of no layer,
 * or an import its layer does not allow, is a lint error (eslint-layers.mjs).
 *
 *   shared    what crosses processes: the contract, the error shape, the host wire (zod only)
 *   renderer  the React window: only the contract, through api/transport
 *   preload   the bridge of an Electron window: Electron and shared
 *   base      errors, Python's JSON, hashes and sums: no I/O of its own
 *   store     every database: drivers, SQL, schema, other runtimes' formats, their workers
 *   engine    the pure model of a run: projection, graph history, spans, diff, status, timeline
 *   usecases  what writes or exports: fork, promote, migrate, export, and their guards
 *   service   the data host: handlers (thin adapters over the layers below), registry, watcher
 *   front     the processes that serve windows (Electron's main, browser mode's server): never a store
 *   cli       the command line: adapters over the use cases, and browser mode's launcher
 *   tools     the bench and the generators of synthetic stores
 *
 * `may` names layers, or single files (a layer's doors: what it offers to layers above it).
 * `types` are layers or files only `import type` may name (erased from the build); `typePackages` the same for packages.
 */
const NODE = 'node:*';
const DRIVERS = ['better-sqlite3', 'pg', 'pg-copy-streams', 'pgpass'];

/** A store's name, parsed (no driver): the fronts need it to open a store, or say which. */
const STORE_NAMES = ['src/main/store/store-url.ts', 'src/main/store/postgres/pg-url.ts', 'src/main/store/sqlite/sqlite-uris.ts'];
/** What a front needs of the service: validation of a call, the saved connections. */
const SERVICE_DOORS = ['src/main/service/dispatch.ts', 'src/main/service/saved-connections.ts'];
const PATHS = ['src/main/paths.ts', 'src/main/renderer-files.ts'];

export const LAYERS = [
  { name: 'shared', files: ['src/shared/'], may: ['shared'], packages: ['zod'] },
  {
    name: 'renderer',
    files: ['src/renderer/'],
    may: ['renderer', 'shared'],
    packages: ['react', 'react-dom/*', 'zustand', 'zustand/*', 'cytoscape', 'uplot', 'uplot/dist/uPlot.min.css', '@tanstack/*', 'zod'],
  },
  { name: 'preload', files: ['src/preload/'], may: ['shared'], packages: ['electron'] },
  { name: 'paths', files: PATHS, may: ['paths'], types: ['store'], packages: [NODE] },
  { name: 'base', files: ['src/main/base/'], may: ['base', 'shared'], packages: [NODE] },
  // The store never knows the build folder: its workers' files are handed to it (store-files.ts).
  { name: 'store', files: ['src/main/store/'], may: ['store', 'base', 'shared'], packages: [NODE, ...DRIVERS, 'peggy'] },
  { name: 'engine', files: ['src/main/engine/'], may: ['engine', 'store', 'base', 'shared'], packages: [NODE, 'peggy'] },
  { name: 'usecases', files: ['src/main/usecases/'], may: ['usecases', 'engine', 'store', 'base', 'shared'], packages: [NODE, 'zod', '@opentelemetry/*'] },
  {
    name: 'service',
    files: ['src/main/service/', 'src/main/host/'],
    may: ['service', 'usecases', 'engine', 'store', 'base', 'shared', 'paths'],
    packages: [NODE, 'zod'],
    typePackages: ['electron'], // the utility process's port type; the host runs the same code in a worker thread
  },
  {
    name: 'front',
    files: ['src/main/front/', 'src/main/server/', 'src/main/electron/', 'src/main/shell/', 'src/main/index.ts'],
    may: ['front', 'base', 'shared', 'paths', 'src/main/host/protocol.ts', ...STORE_NAMES, ...SERVICE_DOORS],
    types: ['service'],
    packages: [NODE, 'electron', 'zod'],
  },
  { name: 'cli', files: ['src/main/cli/'], may: ['cli', 'front', 'service', 'usecases', 'engine', 'store', 'base', 'shared', 'paths'], packages: [NODE, 'commander'] },
  {
    name: 'tools',
    files: ['src/main/bench/', 'src/main/synthetic/'],
    // The bench starts its Postgres servers the way the tests do.
    may: ['tools', 'cli', 'front', 'service', 'usecases', 'engine', 'store', 'base', 'shared', 'paths', 'src/main/host/protocol.ts', 'test/support/throwaway-postgres.ts'],
    packages: [NODE, ...DRIVERS, '@playwright/test'],
  },
];
