/**
 * better-sqlite3 reads SQLITE_USE_URI from the process environment once, when its addon first
 * loads, to decide whether `file:` URIs (our `immutable` opens) are understood. A worker thread's
 * `process.env` is a private copy the addon never sees, so the thread that starts a worker must
 * set it first; the driver sets it too, for processes that open stores on their main thread.
 */
export function enableSqliteUris(): void {
  process.env.SQLITE_USE_URI = '1';
}
