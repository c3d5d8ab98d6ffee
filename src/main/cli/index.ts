/** Entry point of the `run-inspector` binary under plain Node. */
import { processIO } from './io.js';
import { runCli } from './program.js';
import { serveCommand } from '../server/serve-command.js';

const code = await runCli(process.argv.slice(2), processIO, [serveCommand]);
process.exitCode = code;
