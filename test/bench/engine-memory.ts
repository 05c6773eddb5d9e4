/**
 * Does the engine's memory stay flat as files grow? Uploads a 256 MiB and a 2 GiB file through the
 * multipart path to the emulator (in its own process), each in a fresh engine process, and compares
 * the engine process's peak RSS. Target: the larger file costs less than 64 MiB more. The official
 * SDK's multipart helper uploading the 256 MiB file is measured alongside, for comparison.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sparseFile, startBenchEmulator } from './support/emulator-process';
import { saveResults } from './support/results';

const MiB = 1024 * 1024;
const SIZES = [256 * MiB, 2048 * MiB];

const work = await mkdtemp(join(tmpdir(), 'tl-bench-engine-'));
const emulator = await startBenchEmulator(join(work, 'emulator'));
try {
  const rows = [];
  let sdkPeak: number | null = null;
  for (const size of SIZES) {
    const file = join(work, `source-${size}.mp4`);
    await sparseFile(file, size);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/bench/support/upload-one.ts', emulator.baseUrl, file, join(work, `data-${size}`)],
      {
        encoding: 'utf8',
      },
    );
    const result = JSON.parse(run.stdout.trim().split('\n').pop() || 'null') ?? { status: 'crashed' };
    if (result.status !== 'ready') throw new Error(`upload of ${size} bytes ended ${result.status}: ${run.stderr}`);
    rows.push(result as { seconds: number; size: number; peakRss: number });
    if (size === SIZES[0]) {
      const sdk = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/bench/support/sdk-upload.ts', emulator.baseUrl, 'large', file],
        { encoding: 'utf8' },
      );
      sdkPeak = JSON.parse(sdk.stdout.trim().split('\n').pop() || '{}').peakRss ?? null;
    }
    await rm(file);
  }
  console.log('engine peak RSS for one multipart upload (6 chunks of 5 MiB in flight)');
  for (const row of rows) {
    console.log(
      `  ${String(row.size / MiB).padStart(5)} MiB  peak RSS ${(row.peakRss / MiB).toFixed(1).padStart(6)} MiB  ${(row.size / MiB / row.seconds).toFixed(0)} MiB/s`,
    );
  }
  const growth = (rows[1]!.peakRss - rows[0]!.peakRss) / MiB;
  console.log(`  growth for 8x the data: ${growth.toFixed(1)} MiB (target: under 64 MiB)`);
  await saveResults('engine-memory', { rows, growthMiB: growth, sdkPeakRss: sdkPeak });
  if (sdkPeak !== null) console.log(`  official SDK helper, 256 MiB: peak RSS ${(sdkPeak / MiB).toFixed(1)} MiB`);
  if (growth >= 64) {
    console.error('  FAIL: engine memory grew with the size of the file');
    process.exitCode = 1;
  }
} finally {
  emulator.stop();
  await rm(work, { recursive: true, force: true });
}
