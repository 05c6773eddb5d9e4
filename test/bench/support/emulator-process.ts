import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `npm run emulator` as its own process (so its memory is not the measured process's). */
export async function startEmulatorProcess(
  args: readonly string[],
): Promise<{ child: ChildProcess; baseUrl: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, baseUrl, stop: () => child.kill('SIGTERM') };
}

/**
 * The emulator as the engine's benchmarks use it: its data in `dataDir`, no media checks and
 * 10 ms of processing, so the server is never what is measured; `more` adds its own options.
 */
export function startBenchEmulator(dataDir: string, more: readonly string[] = []) {
  return startEmulatorProcess(['--data-dir', dataDir, '--no-media-checks', '--processing-delay', '10', ...more]);
}

/** A sparse file of `size` bytes: instant to make, and reads as zeros at disk-cache speed. */
export async function sparseFile(path: string, size: number): Promise<void> {
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'w');
  // An MP4 signature up front so the engine identifies it as a video.
  await handle.write(Buffer.from('\x00\x00\x00\x18ftypisom', 'latin1'), 0, 12, 0);
  await handle.truncate(size);
  await handle.close();
}
