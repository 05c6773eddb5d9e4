import { spawn, type ChildProcess } from 'node:child_process';
import type { RunningEmulator } from '../emulator/server';

/** Starts the real CLI (`npm run cli`) as a child process against the emulator. */
export function startCli(
  emulator: RunningEmulator,
  dataDir: string,
  args: readonly string[],
  /** Written to its standard input, which is then closed; without it, standard input is empty. */
  input?: string,
  /** Variables for this run over the test's own (undefined removes one). */
  env: Readonly<Record<string, string | undefined>> = {},
): ChildProcess & { output: () => string } {
  // CLI_COMPILED=1 runs the built command (`npm run build`) as `npm install -g` would: the
  // launcher itself, by its `#!` line (with its Node flags).
  const [command, ...entry] =
    process.env.CLI_COMPILED === '1'
      ? ['bin/twelvelabs-uploader.js']
      : [process.execPath, '--import', 'tsx', 'electron/cli/index.ts'];
  const child = spawn(command!, [...entry, '--data-dir', dataDir, ...args], {
    env: { ...process.env, TWELVE_LABS_API_KEY: emulator.apiKey, TWELVELABS_BASE_URL: emulator.baseUrl, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(child, { output: () => text });
}

/** Runs the CLI to the end: exit code and everything it printed. */
export async function runCli(
  emulator: RunningEmulator,
  dataDir: string,
  args: readonly string[],
  input?: string,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<{ code: number | null; output: string }> {
  const child = startCli(emulator, dataDir, args, input, env);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output: child.output() };
}

/** The JSON lines a `--json` run printed. */
export function jsonLines(output: string): any[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}
