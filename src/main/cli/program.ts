/**
 * `run-inspector`: a drop-in for Active Graph's CLI (same commands, flags, outputs and exit
 * codes), plus `serve` (browser mode). Never prints a stack trace.
 */
import { registerCompare } from './compare-command.js';
import { registerExportOtlp } from './export-otlp-command.js';
import { registerSavePage } from './save-page-command.js';
import { registerQuery } from './query-command.js';
import { Command, CommanderError, Option } from 'commander';
import { InspectorError } from '../base/errors.js';
import { diffCommand, exportTraceCommand, forkCommand, inspectCommand, replayCommand } from './commands.js';
import { CliExit, type CliIO } from './io.js';
import { registerMigrate } from './migrate-command.js';
import { registerServe } from './serve-command.js';
import { registerPromote } from './promote-command.js';

function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CommanderError(2, 'usage', `'${value}' is not a valid integer.`);
  return n;
}

function build(io: CliIO): Command {
  const program = new Command('run-inspector')
    .description('Inspect, replay, fork and diff agent-runtime event stores (Active Graph compatible).')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false);

  program
    .command('inspect')
    .description("Show a run's status() snapshot, one event, or search it")
    .argument('<store_url>')
    .option('--run-id <id>', 'run to inspect (default: the most recently appended to)')
    .option('--tail <n>', 'number of recent events to list', intOption, 20)
    .option('--json', 'print JSON')
    .option('--event <id>', 'show one event')
    .option('--behaviors', 'list registered behaviors')
    .option('--pack-version', 'list loaded packs and prompt versions')
    .option('--memo', 'render memo objects')
    .option('--search <query>', 'search ids, types, actors and payloads')
    .action((url, o) => inspectCommand(io, url, o));

  program
    .command('replay')
    .description('Replay a stored run (permissive) and print its summary')
    .argument('<store_url>')
    .option('--run-id <id>')
    .option('--json')
    .action((url, o) => replayCommand(io, url, o));

  program
    .command('fork')
    .description('Fork a run at an event (inclusive)')
    .argument('<store_url>')
    .requiredOption('--run-id <id>')
    .requiredOption('--at-event <id>')
    .option('--label <label>')
    .option('--to <store_url>', 'destination store (default: the source store)')
    .option('--record', 'mark the fork as a recording fork')
    .option('--set <assignment>', 'pack.setting=value override (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json')
    .action((url, o) => forkCommand(io, url, o));

  program
    .command('diff')
    .description('Compare two runs of one store')
    .argument('<store_url>')
    .requiredOption('--run-a <id>')
    .requiredOption('--run-b <id>')
    .option('--json')
    .action((url, o) => diffCommand(io, url, o));

  program
    .command('export-trace')
    .description('Export a run as a text trace or JSONL')
    .argument('<store_url>')
    .option('--run-id <id>')
    .addOption(new Option('--format <format>', 'text or jsonl').default('text'))
    .option('-o, --output <path>', 'write to a file instead of stdout')
    .action((url, o) => exportTraceCommand(io, url, o));

  registerMigrate(program, io);
  registerPromote(program, io);
  registerQuery(program, io);
  registerCompare(program, io);
  registerExportOtlp(program, io);
  registerSavePage(program, io);
  registerServe(program, io);
  return program;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = build(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliExit) {
      if (err.stderr) io.err(err.stderr + '\n');
      return err.code;
    }
    if (err instanceof InspectorError) {
      io.err(err.render() + '\n');
      return err.exitCode;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      if (err.code === 'usage') io.err(`Error: ${err.message}\n`);
      return 2; // click's usage-error code
    }
    const e = err as Error;
    io.err(`error: ${e?.message ?? String(err)}\n`);
    return 1;
  }
}
