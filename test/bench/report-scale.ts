/**
 * The CLI's `report` and `status` of a batch of 10,000, 100,000 and 1,000,000 files (made directly
 * in the journal): peak memory of the CLI process, against the same CLI listing the batches
 * (`report --list`, which reads no file's row) in the same run. Each runs with a 64 MiB JavaScript
 * heap: a report that held its rows (about 500 bytes a file) could not finish in it, and V8 does
 * not spend headroom it is not given on garbage. Target: flat, the growth from 100,000 to
 * 1,000,000 files under 10% of the baseline. `REPORT_SCALE_MAX` lowers the largest.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalPath } from '../../electron/core/store/data-folder';
import { writeQueue } from '../helpers/queued-journal';
import { saveResults } from './support/results';

const SIZES = [10_000, 100_000, 1_000_000].filter((n) => n <= Number(process.env.REPORT_SCALE_MAX ?? Infinity));
// Each CLI run says its own peak memory as it exits.
const PEAK = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'\\npeak-rss='+process.resourceUsage().maxRSS+'\\n'))`;

/** Runs the CLI on `dataDir`, its output thrown away as it comes; its peak RSS in MiB. */
async function peakOf(dataDir: string, args: readonly string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=64',
      '--import',
      PEAK,
      '--import',
      'tsx',
      'electron/cli/index.ts',
      '--data-dir',
      dataDir,
      ...args,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TWELVE_LABS_API_KEY: 'tlk_bench' } },
  );
  let said = '';
  child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const kib = /peak-rss=(\d+)/.exec(said)?.[1];
  if (code !== 0 || !kib) throw new Error(`the CLI ended with ${code}: ${said.slice(-500)}`);
  return Number(kib) / 1024;
}

const rows: { files: number; journalMiB: number; report: number; status: number; baseline: number }[] = [];
for (const files of SIZES) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tl-bench-report-'));
  try {
    await writeQueue(dataDir, files, 500);
    const journalMiB = (await stat(journalPath(dataDir))).size / 1024 ** 2;
    const baseline = await peakOf(dataDir, ['report', '--list']);
    const report = await peakOf(dataDir, ['report', '--format', 'csv']);
    const status = await peakOf(dataDir, ['--json', 'status']);
    rows.push({ files, journalMiB, report, status, baseline });
    console.log(
      `${files.toLocaleString('en')} files (journal ${journalMiB.toFixed(0)} MiB): report ${report.toFixed(0)} MiB, ` +
        `status ${status.toFixed(0)} MiB, baseline ${baseline.toFixed(0)} MiB ` +
        `(report ${(report / baseline).toFixed(2)}x, status ${(status / baseline).toFixed(2)}x)`,
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const [, mid, top] = rows;
let met = true;
if (mid && top) {
  for (const what of ['report', 'status'] as const) {
    // Growth from 100k to 1M files, as a share of the CLI's own size (the baseline).
    const growth = (top[what] - mid[what]) / top.baseline;
    console.log(
      `${what}: 100,000 -> 1,000,000 files grows ${(growth * 100).toFixed(1)}% of the baseline (target < 10%)`,
    );
    met &&= growth < 0.1;
  }
}
await saveResults('report-scale', { rows });
process.exit(met ? 0 : 1);
