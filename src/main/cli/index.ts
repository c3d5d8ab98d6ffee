/** Entry point of the `run-inspector` binary under plain Node. */
import { setPasswordPrompt } from '../store/postgres/postgres-store.js';
import { processIO } from './io.js';
import { terminalPasswordPrompt } from './password-prompt.js';
import { runCli } from './program.js';

if (process.stdin.isTTY && process.stderr.isTTY) setPasswordPrompt(terminalPasswordPrompt(process.stdin, process.stderr));

process.exitCode = await runCli(process.argv.slice(2), processIO);
