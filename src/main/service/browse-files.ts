/**
 * A folder as browser mode's file picker shows it: its folders, then its files, each file marked
 * when it is a SQLite database (by its header, not its name: stores are named .db, .sqlite, or
 * nothing at all) or a JSONL trace (a JSON object opens it). Only names, sizes and a file's first
 * bytes are read; nothing is opened as a store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usageError } from '../base/errors.js';
import { isJsonlTrace } from '../store/formats/jsonl-trace.js';

/** Entries listed per folder: a picker is for finding a file, and a folder of 100k files is not browsed. */
const LISTED = 2000;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface FolderListing {
  dir: string;
  parent: string | null;
  entries: { name: string; path: string; folder: boolean; size: number | null; sqlite: boolean; trace: boolean }[];
  truncated: boolean;
}

async function isSqlite(file: string): Promise<boolean> {
  let handle: fs.promises.FileHandle | null = null;
  try {
    handle = await fs.promises.open(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(SQLITE_HEADER);
  } catch {
    return false; // unreadable here: listed, and opening it says why
  } finally {
    await handle?.close();
  }
}

export async function browseFolder(dir: string | undefined, signal?: AbortSignal): Promise<FolderListing> {
  const folder = path.resolve(dir ?? os.homedir());
  let dirents: fs.Dirent[];
  try {
    dirents = await fs.promises.readdir(folder, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such folder on the machine running the inspector'
        : code === 'ENOTDIR'
          ? 'it is a file, not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'this user may not read it'
            : String((err as Error).message);
    throw usageError(`cannot list ${folder}: ${why}; pick another folder, or type the store's path in the URL box`);
  }
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: FolderListing['entries'] = [];
  for (const d of dirents.slice(0, LISTED)) {
    signal?.throwIfAborted();
    const full = path.join(folder, d.name);
    let stat: fs.Stats | null = null;
    try {
      stat = await fs.promises.stat(full); // follows links: a link to a folder is browsed as one
    } catch {
      /* a dangling link: listed without a size */
    }
    const isFolder = stat?.isDirectory() ?? d.isDirectory();
    const sqlite = !isFolder && stat !== null && (await isSqlite(full));
    entries.push({
      name: d.name,
      path: full,
      folder: isFolder,
      size: isFolder ? null : (stat?.size ?? null),
      sqlite,
      trace: !isFolder && !sqlite && stat !== null && isJsonlTrace(full),
    });
  }
  entries.sort((a, b) => Number(b.folder) - Number(a.folder)); // stable: by name within each
  const parent = path.dirname(folder);
  return { dir: folder, parent: parent === folder ? null : parent, entries, truncated: dirents.length > LISTED };
}
