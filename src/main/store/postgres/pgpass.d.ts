/** The `pgpass` package (pg's own ~/.pgpass reader) ships no types. */
declare module 'pgpass' {
  /** Calls back with the password ~/.pgpass (or PGPASSFILE) holds for the connection, or undefined. */
  function pgPass(conn: { host: string; port: string; database: string; user: string }, cb: (password: string | undefined) => void): void;
  export default pgPass;
}
