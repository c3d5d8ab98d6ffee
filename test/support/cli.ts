/** Runs CLI command lines in-process with captured output. */
import { runCli } from '../../src/main/cli/program.js';

export async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t), cwd, isTTY: false });
  return { code, stdout, stderr };
}
