/**
 * `npm run bench -- scale`: the whole queue as the work grows. For 10,000 and 100,000 small files
 * (and 1,000,000 with SCALE_MAX=1000000, a long run that is not part of CI), a folder of stills in
 * folders of 500 (hard links of one photo, so the disk is not the limit and every file after the
 * first is "already in this list") is uploaded by the real CLI to the emulator (its own process).
 * From the CLI's JSON lines: seconds from the start to the first upload, files checked per second,
 * and the CLI process's peak RSS; then the journal's size, and the app's restart over that journal
 * (the engine opened on it, in its own process): the time, the peak RSS, and the engine's heap per
 * queued file after GC (the engine still holds the whole queue in memory). Then the window over a
 * queue of that size made in the journal (`test/e2e/archive-queue.spec.ts`, in Chromium): the time
 * to open it and to select all, and its heap after GC against a 1,000-file queue's in the same run.
 *
 * Targets (issue "A million files"): peak RSS under 300 MiB and growing less than 10% from 100k to
 * 1M; the first upload within 5 s of the start; checks at least 1,000 files/s on 4 cores (this
 * figure is per core as well, for machines with fewer); the window's heap flat (under 16 MiB over the
 * baseline's), and opening the queue and selecting all each under a second.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalPath } from '../../electron/core/store/data-folder';
import { ApiClient } from '../../electron/core/api/client';
import { Journal } from '../../electron/core/upload/journal';
import { UploadEngine } from '../../electron/core/upload/engine';
import { DEFAULT_SETTINGS } from '../../electron/shared/settings';
import { DEFAULT_SANDBOX_KEY } from '../emulator/server';
import { startBenchEmulator } from './support/emulator-process';
import { saveResults } from './support/results';

// Each child says its own peak memory as it exits.
const PEAK = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'\\npeak-rss='+process.resourceUsage().maxRSS+'\\n'))`;
const PHOTO = join(import.meta.dirname, '../fixtures/media/image.jpg');
const MiB = 1024 * 1024;
// The CLI as installed (`npm run build`) when it is built, so its start is not TypeScript's.
const CLI = existsSync('out/main/cli.js') ? 'bin/twelvelabs-uploader.js' : 'electron/cli/index.ts';
/** The Node flags the installed CLI starts with: its launcher's `#!/usr/bin/env -S node …` line. */
const CLI_FLAGS = /^#!\/usr\/bin\/env -S node(.*)$/m
  .exec(readFileSync('bin/twelvelabs-uploader.js', 'utf8'))![1]!
  .split(' ')
  .filter(Boolean);

/** In a child: the app's restart over a journal, the engine opened on it and its queue rebuilt. */
async function openOnly(dataDir: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const journal = await Journal.open(journalPath(dataDir));
  const engine = await UploadEngine.open({
    journal,
    client: new ApiClient({ baseUrl: 'http://127.0.0.1:9/v1.3', apiKey: () => 'unused' }),
    settings: () => DEFAULT_SETTINGS,
  });
  const ms = performance.now() - started;
  gc();
  const items = engine.totals().outcome.total;
  const bytesPerItem = (process.memoryUsage().heapUsed - heapBefore) / items;
  console.log(JSON.stringify({ ms, items, bytesPerItem }));
  await engine.close();
  await journal.close();
}

/** Runs a child with the peak hook; its standard output line by line, and its peak RSS in MiB. */
async function child(args: readonly string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void) {
  // TypeScript's loader only where the child is TypeScript: it runs in a thread of its own, whose
  // memory would be counted as the CLI's.
  const loader = args.find((arg) => !arg.startsWith('-'))!.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const process_ = spawn(process.execPath, ['--expose-gc', '--import', PEAK, ...loader, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let said = '';
  process_.stderr.on('data', (chunk: Buffer) => (said = (said + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: process_.stdout });
  lines.on('line', onLine);
  const code = await new Promise<number | null>((resolve) => process_.once('exit', resolve));
  const kib = /peak-rss=(\d+)/.exec(said)?.[1];
  if (!kib) throw new Error(`the child ended with ${code}: ${said}`);
  return { code, peakMiB: Number(kib) / 1024 };
}

/** A file system allows so many links to one file (ext4: 65,000): a fresh copy of the photo per this many. */
const LINKS_PER_COPY = 50_000;

/** `count` stills in folders of 500, each a hard link of one photo (of a copy of it, past 50,000). */
async function stills(root: string, count: number): Promise<string> {
  const card = join(root, 'Archive');
  for (let folder = 0; folder * 500 < count; folder += 1) {
    const photo = join(root, `photo-${Math.floor((folder * 500) / LINKS_PER_COPY)}.jpg`);
    if (!existsSync(photo)) await copyFile(PHOTO, photo);
    const dir = join(card, `Roll ${folder}`);
    await mkdir(dir, { recursive: true });
    const made = [];
    for (let n = folder * 500; n < Math.min(count, (folder + 1) * 500); n += 1)
      made.push(link(photo, join(dir, `IMG_${n}.jpg`)));
    await Promise.all(made);
  }
  return card;
}

/** What the window's spec says of a queue of `files` (see the spec for how it is measured). */
async function windowFigures(files: number) {
  const spec = spawn(
    'bash',
    ['test/helpers/with-keyring.sh', 'npx', 'playwright', 'test', 'test/e2e/archive-queue.spec.ts'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, QUEUE_FILES: String(files) },
    },
  );
  let said = '';
  spec.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
  spec.stderr.on('data', (chunk: Buffer) => (said = (said + chunk.toString()).slice(-100_000)));
  const code = await new Promise<number | null>((resolve) => spec.once('exit', resolve));
  const number = (pattern: RegExp) => Number(pattern.exec(said)?.[1] ?? NaN);
  const figures = {
    passed: code === 0,
    openMs: number(/opened in (\d+) ms/),
    selectAllMs: number(/select all in (\d+) ms/),
    heapMiB: number(/window heap: ([\d.]+) MiB opened/),
    selectedHeapMiB: number(/MiB opened, ([\d.]+) MiB all selected/),
    baselineHeapMiB: number(/baseline ([\d.]+) MiB \(x/),
  };
  if (Number.isNaN(figures.openMs))
    throw new Error(`the window's spec said no figures (exit ${code}): ${said.slice(-2000)}`);
  return figures;
}

interface Row {
  readonly files: number;
  readonly exit: number | null;
  readonly seconds: number;
  readonly firstUploadSeconds: number | null;
  readonly checksPerSecond: number;
  readonly peakMiB: number;
  readonly journalMiB: number;
  readonly reopenMs: number;
  readonly reopenPeakMiB: number;
  /** The engine's heap per queued item after a restart (after GC): what holding the queue costs. */
  readonly bytesPerItem: number;
  readonly window: Awaited<ReturnType<typeof windowFigures>>;
}

async function measure(files: number): Promise<Row> {
  const work = await mkdtemp(join(tmpdir(), 'tl-bench-scale-'));
  const emulator = await startBenchEmulator(join(work, 'emulator'));
  try {
    const card = await stills(work, files);
    const dataDir = join(work, 'data');
    // What the CLI said first about each file, and when each left its check.
    const seen = new Set<string>();
    let checked = 0;
    let firstChecked = 0;
    let lastChecked = 0;
    let firstUpload: number | null = null;
    const started = performance.now();
    const run = await child(
      [...CLI_FLAGS, CLI, '--data-dir', dataDir, '--json', 'upload', card],
      { TWELVE_LABS_API_KEY: DEFAULT_SANDBOX_KEY, TWELVELABS_BASE_URL: emulator.baseUrl },
      (line) => {
        if (!line.startsWith('{"event":"item"')) return;
        const { id, status } = JSON.parse(line) as { id: string; status: { kind: string } };
        const at = performance.now();
        if (status.kind === 'uploading' || status.kind === 'processing' || status.kind === 'ready') firstUpload ??= at;
        if (status.kind !== 'checking' && !seen.has(id)) {
          seen.add(id);
          checked += 1;
          firstChecked ||= at;
          lastChecked = at;
        }
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const journalMiB = (await stat(journalPath(dataDir))).size / MiB;
    let reopenMs = 0;
    let bytesPerItem = 0;
    const reopen = await child([import.meta.filename, '--open', dataDir], {}, (line) => {
      if (line.startsWith('{'))
        ({ ms: reopenMs, bytesPerItem } = JSON.parse(line) as { ms: number; bytesPerItem: number });
    });
    return {
      files,
      exit: run.code,
      seconds,
      firstUploadSeconds: firstUpload === null ? null : (firstUpload - started) / 1000,
      checksPerSecond: checked / Math.max(0.001, (lastChecked - firstChecked) / 1000),
      peakMiB: run.peakMiB,
      journalMiB,
      reopenMs,
      reopenPeakMiB: reopen.peakMiB,
      bytesPerItem,
      window: await windowFigures(files),
    };
  } finally {
    emulator.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--open') {
  await openOnly(process.argv[3]!);
} else {
  const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= Number(process.env.SCALE_MAX ?? 100_000));
  const cores = availableParallelism();
  console.log(`the CLI: ${CLI}`);
  const rows: Row[] = [];
  for (const files of sizes) {
    const row = await measure(files);
    rows.push(row);
    console.log(
      `${files.toLocaleString('en')} files: done in ${row.seconds.toFixed(0)} s (exit ${row.exit}); ` +
        `first upload after ${row.firstUploadSeconds?.toFixed(1) ?? 'never'} s; ` +
        `${row.checksPerSecond.toFixed(0)} files checked/s (${(row.checksPerSecond / cores).toFixed(0)} per core, ${cores} cores); ` +
        `CLI peak RSS ${row.peakMiB.toFixed(0)} MiB; journal ${row.journalMiB.toFixed(1)} MiB; ` +
        `restart: engine open in ${(row.reopenMs / 1000).toFixed(2)} s, peak RSS ${row.reopenPeakMiB.toFixed(0)} MiB, ` +
        `${row.bytesPerItem.toFixed(0)} bytes of heap per queued file; ` +
        `window: opened in ${row.window.openMs} ms, select all in ${row.window.selectAllMs} ms, ` +
        `heap ${row.window.heapMiB.toFixed(1)} MiB (${row.window.selectedHeapMiB.toFixed(1)} all selected; ` +
        `baseline ${row.window.baselineHeapMiB.toFixed(1)} MiB at 1,000 files)`,
    );
  }
  const targets: [string, boolean][] = [];
  for (const row of rows) {
    targets.push([`${row.files}: every file ends (exit 0)`, row.exit === 0]);
    targets.push([`${row.files}: peak RSS < 300 MiB`, row.peakMiB < 300 && row.reopenPeakMiB < 300]);
    targets.push([`${row.files}: first upload within 5 s`, (row.firstUploadSeconds ?? Infinity) <= 5]);
    targets.push([`${row.files}: >= 250 files checked/s per core`, row.checksPerSecond / cores >= 250]);
    targets.push([`${row.files}: window heap flat (< 16 MiB over 1,000 files')`, row.window.passed]);
    targets.push([
      `${row.files}: window opens the queue and selects all, each < 1 s`,
      row.window.openMs < 1000 && row.window.selectAllMs < 1000,
    ]);
  }
  const mid = rows.find((row) => row.files === 100_000);
  const top = rows.find((row) => row.files === 1_000_000);
  if (mid && top) targets.push(['peak RSS 100k -> 1M grows < 10%', top.peakMiB < mid.peakMiB * 1.1]);
  for (const [what, met] of targets) console.log(`${met ? 'met' : 'MISSED'}: ${what}`);
  await saveResults('scale', { cores, rows });
  process.exit(targets.every(([, met]) => met) ? 0 : 1);
}
