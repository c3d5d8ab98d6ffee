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
