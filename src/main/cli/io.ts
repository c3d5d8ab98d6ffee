/** Where CLI output goes; injectable so tests run commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
}

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Thrown by a command to end with an exit code after printing a message to stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    readonly stderr?: string,
  ) {
    super(stderr ?? `exit ${code}`);
  }
}

/**
 * A signal that Ctrl+C or a SIGTERM aborts while `fn` runs: a write command then stops between
 * chunks, rolls back and closes its destination (removing one it created) instead of dying mid-way.
 */
export async function untilInterrupted<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
