import { execFile, spawn } from 'node:child_process';
import { access, constants, rename, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { FfmpegFound, UploadCopy } from '../../shared/upload-copy';
import { copyArguments } from './copy-plan';
import { h264Encoder, type H264Encoder } from './h264-encoders';

/** The FFmpeg upload copies are made with: where it is and what it says it is. */
export interface Ffmpeg {
  readonly path: string;
  /** "5.1.9-0+deb12u1", from `ffmpeg -version`. */
  readonly version: string;
}

/**
 * The FFmpeg on this computer: the one `TWELVELABS_FFMPEG` names, else the first
 * on the PATH. Null when there is none, or it does not run: copies are then not offered.
 */
export async function locateFfmpeg(
  named: string | null = process.env.TWELVELABS_FFMPEG ?? null,
): Promise<Ffmpeg | null> {
  const executable = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const candidates = named
    ? [named]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, executable));
  for (const path of candidates) {
    if (
      !(await access(path, constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const said = await promisify(execFile)(path, ['-hide_banner', '-version'], { timeout: 10_000 }).catch(() => null);
    const version = /ffmpeg version (\S+)/.exec(said?.stdout ?? '')?.[1];
    if (version) return { path, version };
  }
  return null;
}

/** What Settings and `doctor` say of an FFmpeg: where it is, its version, and its video encoder. */
export async function ffmpegFound(ffmpeg: Ffmpeg): Promise<FfmpegFound> {
  const { name, label } = await h264Encoder(ffmpeg);
  return { path: ffmpeg.path, version: ffmpeg.version, encoder: { name, label } };
}

/** FFmpeg could not make the copy: its own last lines say why. */
export class CopyFailed extends Error {
  constructor(readonly lastLines: string) {
    super(`FFmpeg could not make the copy: ${lastLines.split('\n').at(-1) ?? ''}`);
    this.name = 'CopyFailed';
  }
}

/** Lines of FFmpeg's own words kept for Details when it fails. */
const KEPT_LINES = 12;

/**
 * Makes `copy` of `input` at `output`: written to `output.part` and renamed once whole, so a
 * copy cut off by a stop, a crash or a full disk is never taken for a made one. `onProgress` is
 * told how far it is (0 to 1, where the original's duration is known). Aborting kills FFmpeg
 * and removes the part file.
 */
export async function makeCopy(
  ffmpeg: Ffmpeg,
  copy: UploadCopy,
  input: string,
  output: string,
  options: {
    readonly signal?: AbortSignal;
    readonly onProgress?: (fraction: number) => void;
    /** The video encoder (the processor's unless given). */
    readonly encoder?: H264Encoder;
  } = {},
): Promise<void> {
  const part = `${output}.part`;
  await rm(part, { force: true });
  const child = spawn(ffmpeg.path, copyArguments(copy, input, part, options.encoder), {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
    killSignal: 'SIGKILL',
  });
  const lines: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    lines.push(...text.split('\n').filter((line) => line.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  });
  const total = copy.part ? copy.part.end - copy.part.start : copy.durationSeconds;
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    const split = (pending + text).split('\n');
    pending = split.pop() ?? '';
    for (const line of split) {
      // out_time_us is FFmpeg's own name; older builds wrote the same microseconds as out_time_ms.
      const at = /^out_time_(?:us|ms)=(\d+)/.exec(line);
      if (at && total) options.onProgress?.(Math.min(1, Number(at[1]) / 1e6 / total));
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).catch(async (error: unknown) => {
    await rm(part, { force: true });
    throw options.signal?.aborted ? options.signal.reason : error;
  });
  if (code !== 0) {
    await rm(part, { force: true });
    throw new CopyFailed(lines.join('\n') || `FFmpeg stopped with code ${code}`);
  }
  await rename(part, output);
  options.onProgress?.(1);
}

/** A scene score (0 to 1) from this up is a cut between shots, not movement within one. */
const SCENE_CHANGE = 0.3;

/**
 * Where near `around` (seconds into `input`) a programme is best cut into parts: at the sharpest
 * change of shot within `leeway` either way, or, for sound alone, in the middle of the pause
 * nearest to it; at `around` itself when there is neither. Reads only that stretch, so finding a
 * cut costs seconds, not a pass over the programme. The same file gives the same cut, so the two
 * parts either side of it, made at different times, meet exactly.
 */
export async function findCut(
  ffmpeg: Ffmpeg,
  input: string,
  around: number,
  leeway: number,
  picture: boolean,
): Promise<number> {
  if (leeway <= 0) return around;
  const from = Math.max(0, around - leeway);
  const filter = picture
    ? ['-an', '-vf', "scale=160:-2,select='gte(scene,0)',metadata=print:file=-"]
    : ['-vn', '-af', 'silencedetect=n=-40dB:d=0.2,ametadata=mode=print:file=-'];
  const { stdout } = await promisify(execFile)(
    ffmpeg.path,
    [
      ...[
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-ss',
        from.toFixed(3),
        '-t',
        (around + leeway - from).toFixed(3),
      ],
      ...['-i', input, ...filter, '-f', 'null', '-'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // Times in what FFmpeg prints count from where the read began.
  const candidates: { at: number; strength: number }[] = [];
  let frameAt = 0;
  let quietFrom: number | null = null;
  for (const line of stdout.split('\n')) {
    const time = /pts_time:([\d.]+)/.exec(line);
    if (time) frameAt = Number(time[1]);
    const score = /lavfi\.scene_score=([\d.]+)/.exec(line);
    if (score && Number(score[1]) >= SCENE_CHANGE) candidates.push({ at: frameAt, strength: Number(score[1]) });
    const quiet = /lavfi\.silence_start=([\d.]+)/.exec(line);
    if (quiet) quietFrom = Number(quiet[1]);
    const loud = /lavfi\.silence_end=([\d.]+)/.exec(line);
    if (loud && quietFrom !== null) {
      candidates.push({ at: (quietFrom + Number(loud[1])) / 2, strength: 1 });
      quietFrom = null;
    }
  }
  const near = (at: number) => Math.abs(from + at - around);
  // The sharpest change; of equals, the nearest.
  const best = candidates.sort((a, b) => b.strength - a.strength || near(a.at) - near(b.at))[0];
  return best ? from + best.at : around;
}

/**
 * The timecode of `input`'s first frame and its frame rate, as FFmpeg reads them, or null for a
 * file with no timecode.
 */
export async function timecodeOf(
  ffmpeg: Ffmpeg,
  input: string,
): Promise<{ readonly timecode: string; readonly fps: number } | null> {
  // Without an output FFmpeg describes the input and stops (with an error, which is expected).
  const said = await promisify(execFile)(ffmpeg.path, ['-hide_banner', '-nostdin', '-i', input], {
    timeout: 30_000,
  }).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
  const timecode = /timecode\s*:\s*(\d{2}:\d{2}:\d{2}[:;.]\d{2})/.exec(said.stderr)?.[1];
  const fps = /Video:.*?, ([\d.]+) fps/.exec(said.stderr)?.[1];
  return timecode && fps ? { timecode, fps: Number(fps) } : null;
}
