/**
 * What the upload copy pipeline costs over FFmpeg run by hand: the same 4K ProRes master copied
 * to the same 1080p H.264 plan, by `makeCopy` (progress read, part file renamed) and by FFmpeg
 * with the same arguments straight to a file, alternating, three times each, in the same run.
 * Target: the pipeline's median takes at most 10% longer.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LIMITS } from '../../electron/shared/limits';
import { copyArguments, planCopy } from '../../electron/core/media/copy-plan';
import { locateFfmpeg, makeCopy } from '../../electron/core/media/ffmpeg';
import { Prober } from '../../electron/core/media/probe';
import { saveResults } from './support/results';

const RUNS = 3;
const TARGET_RATIO = 1.1;
const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const work = await mkdtemp(join(tmpdir(), 'tl-bench-copy-'));
try {
  const ffmpeg = await locateFfmpeg(null);
  if (!ffmpeg) throw new Error('FFmpeg is needed for this benchmark');
  const master = join(work, 'master.mov');
  await run(ffmpeg.path, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=25'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '6', '-c:v', 'prores_ks', '-profile:v', '3'],
    ...['-c:a', 'pcm_s16le', master],
  ]);
  const prober = new Prober(1);
  const facts = await prober.probe(master);
  prober.close();
  if (!facts) throw new Error('the master could not be probed');
  const plan = planCopy(
    { kind: 'video', facts, size: 12e9, code: 'video_filesize_too_large', longest: LIMITS.maxDurationSeconds },
    LIMITS,
  )!;

  const ours: number[] = [];
  const byHand: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    let started = performance.now();
    await makeCopy(ffmpeg, plan, master, join(work, `ours-${i}.mp4`), { onProgress: () => undefined });
    ours.push(performance.now() - started);
    // The same arguments, without the progress pipe, straight to the file.
    const args = copyArguments(plan, master, join(work, `hand-${i}.mp4`)).filter(
      (arg, at, all) => !['-progress', 'pipe:1', '-nostats'].includes(arg) && all[at - 1] !== '-progress',
    );
    started = performance.now();
    await run(ffmpeg.path, args);
    byHand.push(performance.now() - started);
  }
  const ratio = median(ours) / median(byHand);
  console.log(
    `A 6 s 4K ProRes master to ${plan.width}x${plan.height} H.264 (FFmpeg ${ffmpeg.version}): ` +
      `the copy pipeline ${Math.round(median(ours))} ms, FFmpeg by hand ${Math.round(median(byHand))} ms ` +
      `(medians of ${RUNS}): ${ratio.toFixed(2)}x (target <= ${TARGET_RATIO.toFixed(2)}x).`,
  );
  await saveResults('copy-speed', {
    ffmpeg: ffmpeg.version,
    oursMs: ours.map(Math.round),
    byHandMs: byHand.map(Math.round),
    ratio: Number(ratio.toFixed(3)),
  });
  if (ratio > TARGET_RATIO) process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
