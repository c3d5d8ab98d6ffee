/**
 * The files the store layer runs but does not build: its worker threads' entry points, and the
 * SQLite addon built for Electron's ABI. Each process's entry says where they are (the build
 * folder is the entry's to know, not the store's); a worker thread is handed them with its job.
 */
export interface StoreFiles {
  payloadCheckWorker: string;
  hashWorker: string;
  /** native/ (better-sqlite3 built per Electron ABI, in electron-<abi>/). */
  electronNativeDir: string;
}

let files: StoreFiles | null = null;

export function configureStoreFiles(f: StoreFiles): void {
  files = f;
}

export function storeFiles(): StoreFiles {
  if (!files) throw new Error("the store layer's files are not configured: the process's entry must call configureStoreFiles (see paths.ts)");
  return files;
}
