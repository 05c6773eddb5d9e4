/**
 * What a watched folder holds per file: a tree of 100,000 files (100 folders of 1,000), watched
 * once told of changes and once polled (a network drive), each in its own process. Held memory is
 * the heap after garbage collection once every file has been reported, less the same at 10,000
 * files (the baseline, measured in the same run), per file between them. Target: 1 KB a file or
 * less. Also: the time to report every file against a plain folder scan of the same tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPaths } from '../../electron/core/media/scan';
import { FolderWatcher } from '../../electron/core/watch/folder-watcher';
import { saveResults } from './support/results';

const PER_FOLDER = 1000;
const TARGET_BYTES_PER_FILE = 1024;

interface Held {
  readonly heldBytes: number;
  readonly peakRssBytes: number;
  readonly reportedMs: number;
  readonly scanMs: number;
}

/** In a child: watch `root` until each of its `count` files is reported, and say what is held. */
async function measure(root: string, count: number, polling: 'on' | 'off'): Promise<Held> {
  const gc = globalThis.gc!;
  const scanStarted = performance.now();
  for await (const _ of scanPaths([root])) void _;
  const scanMs = performance.now() - scanStarted;
  gc();
  const before = process.memoryUsage().heapUsed;
  let peakRssBytes = 0;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 50);
  const watcher = new FolderWatcher({ root, subfolders: true, polling, settleMs: 200, pollMs: 60_000 });
  let reported = 0;
  watcher.on('file', () => (reported += 1));
  const started = performance.now();
  await watcher.start();
  while (reported < count) await new Promise((done) => setTimeout(done, 20));
  const reportedMs = performance.now() - started;
  clearInterval(sampler);
  gc();
  const heldBytes = process.memoryUsage().heapUsed - before;
  await watcher.close();
  return { heldBytes, peakRssBytes, reportedMs, scanMs };
}

/** A tree of `count` empty files, written empty, so the disk is not what is measured. */
async function tree(base: string, count: number): Promise<string> {
  const root = join(base, `Ingest-${count}`);
  for (let folder = 0; folder < count / PER_FOLDER; folder += 1) {
    const dir = join(root, `Card ${folder}`);
    await mkdir(dir, { recursive: true });
    for (let start = 0; start < PER_FOLDER; start += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => writeFile(join(dir, `C${String(start + i).padStart(4, '0')}.mp4`), '')),
      );
    }
  }
  return root;
}

if (process.argv[2] === 'child') {
  const [, , , root, count, polling] = process.argv;
  console.log(JSON.stringify(await measure(root!, Number(count), polling as 'on' | 'off')));
} else {
  const work = await mkdtemp(join(tmpdir(), 'tl-bench-watch-memory-'));
  try {
    // Older than the settle time, as a catch-up finds them.
    const small = await tree(work, 10_000);
    const large = await tree(work, 100_000);
    await new Promise((done) => setTimeout(done, 300));
    const run = (root: string, count: number, polling: 'on' | 'off'): Held => {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', import.meta.filename, 'child', root, String(count), polling],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(child.stderr);
      return JSON.parse(child.stdout.trim().split('\n').pop()!) as Held;
    };
    const figures: Record<string, unknown> = {};
    let missed = false;
    for (const polling of ['off', 'on'] as const) {
      const baseline = run(small, 10_000, polling);
      const measured = run(large, 100_000, polling);
      const perFile = Math.max(0, (measured.heldBytes - baseline.heldBytes) / 90_000);
      const mode = polling === 'off' ? 'told of changes' : 'polled';
      figures[polling === 'off' ? 'events' : 'polled'] = {
        bytesPerFile: Math.round(perFile),
        heldAt10kMb: Math.round(baseline.heldBytes / 1e5) / 10,
        heldAt100kMb: Math.round(measured.heldBytes / 1e5) / 10,
        peakRssAt100kMb: Math.round(measured.peakRssBytes / 1e6),
        reportedMs: Math.round(measured.reportedMs),
        scanMs: Math.round(measured.scanMs),
      };
      console.log(
        `${mode}: ${Math.round(perFile)} bytes held per file from 10,000 to 100,000 files (target <= ${TARGET_BYTES_PER_FILE}, ` +
          `${(perFile / TARGET_BYTES_PER_FILE).toFixed(2)}x); peak RSS ${Math.round(measured.peakRssBytes / 1e6)} MB; ` +
          `every file reported in ${Math.round(measured.reportedMs)} ms, ` +
          `${(measured.reportedMs / Math.max(1, measured.scanMs)).toFixed(1)}x a folder scan of the same tree.`,
      );
      if (perFile > TARGET_BYTES_PER_FILE) missed = true;
    }
    await saveResults('watch-memory', figures);
    if (missed) process.exitCode = 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
