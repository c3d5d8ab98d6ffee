/** Entry point of the `run-inspector` binary under plain Node. */
import { setPasswordPrompt } from '../store/postgres/pg-connect.js';
import { processIO } from './io.js';
import { terminalPasswordPrompt } from './password-prompt.js';
import { runCli } from './program.js';
import { configureStoreFiles } from '../store/store-files.js';
import { STORE_FILES } from '../paths.js';

configureStoreFiles(STORE_FILES);

// A reader that stops reading (`| head`) ends the output, not the process with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

if (process.stdin.isTTY && process.stderr.isTTY) setPasswordPrompt(terminalPasswordPrompt(process.stdin, process.stderr));

process.exitCode = await runCli(process.argv.slice(2), processIO);
