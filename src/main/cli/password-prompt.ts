/**
 * The CLI asks for a Postgres password on its terminal when neither the URL, PGPASSWORD nor
 * ~/.pgpass has one (as psql does), without echoing it: then no password has to sit on a command
 * line, where every local user can read it in the process list.
 */
import type { PasswordPrompt } from '../store/postgres/pg-connect.js';

export function terminalPasswordPrompt(input: NodeJS.ReadStream, output: NodeJS.WriteStream): PasswordPrompt {
  return ({ user, host, port }) =>
    new Promise((resolve) => {
      output.write(`Password for ${user}@${host}:${port}: `);
      const wasRaw = input.isRaw;
      input.setRawMode?.(true);
      input.resume();
      let typed = '';
      const done = (value: string | undefined) => {
        input.removeListener('data', onData);
        input.setRawMode?.(wasRaw);
        input.pause();
        output.write('\n');
        resolve(value);
      };
      const onData = (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(typed);
          if (ch === '\u0003' || ch === '\u0004') return done(undefined); // Ctrl+C, Ctrl+D: no password
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      input.on('data', onData);
    });
}
