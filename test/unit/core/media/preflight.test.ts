import { readFileSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Preflight } from '../../../../electron/core/media/preflight';
import { PROBE_BUDGET_BYTES, Prober } from '../../../../electron/core/media/probe';
import { fixture, sha256File } from '../../../helpers/emulator';
import { randomFile } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/temp-dir';

const prober = new Prober(2);
afterAll(() => prober.close());
const preflight = new Preflight({ prober, hashing: () => true });

async function check(name: string) {
  const path = fixture(name);
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
  return preflight.check({ path, size });
}

/** Bytes this process has read through system calls so far (Linux). */
function bytesRead(): number {
  return Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);
}

describe('preflight over the committed fixtures', () => {
  it.each([
    ['video-h264.mp4', 'video'],
    ['video-h264.mov', 'video'],
    ['video-h264.mkv', 'video'],
    ['video-vp9.webm', 'video'],
    ['audio.mp3', 'audio'],
    ['audio.wav', 'audio'],
    ['audio.flac', 'audio'],
    ['image.jpg', 'image'],
    ['image.png', 'image'],
  ])('accepts %s as %s and hashes it', async (name, kind) => {
    const result = await check(name);
    expect(result).toMatchObject({ ok: true, kind, warnings: [], sha256: await sha256File(fixture(name)) });
  });

  it.each([
    [
      'notes-renamed.mp4',
      'unsupported_type',
      'This is a text file, not a video, audio or image file, and not named as a document (.txt or .md). Remove it from the list.',
    ],
    [
      'video-truncated.mp4',
      'video_file_broken',
      'This video is damaged or incomplete, so it cannot be played. Export it again, or remove it from the list.',
    ],
    [
      'audio-aac.m4a',
      'audio_format_unsupported',
      'This audio is AAC (MPEG-4); TwelveLabs takes WAV, MP3, FLAC. Convert it to one of those.',
    ],
    [
      'audio-broken.wav',
      'audio_file_broken',
      'This audio file is damaged or incomplete, so it cannot be played. Export it again, or remove it from the list.',
    ],
    [
      'image-truncated.jpg',
      'image_file_broken',
      'This image is damaged or cut off. Save it again, or remove it from the list.',
    ],
  ])('refuses %s (%s), which TwelveLabs itself refuses, with the reason', async (name, code, message) => {
    const result = await check(name);
    expect(result).toMatchObject({ ok: false, code, message });
  });

  it('takes an image with bytes after its end, as exporters and phones write them, and refuses a cut one', async () => {
    const dir = await tempDir();
    const png = readFileSync(fixture('image.png'));
    const jpeg = readFileSync(fixture('image.jpg'));
    const files: Record<string, Buffer> = {
      // A few bytes after IEND: every decoder and browser ignores them.
      'export.png': Buffer.concat([png, Buffer.from('\0\0metadata-padding')]),
      // A motion photo, as Pixel (PXL_…_MP.jpg) and Samsung cameras write one: the picture, then
      // its short video appended after the end-of-image marker.
      'PXL_20261205_101500000.MP.jpg': Buffer.concat([jpeg, readFileSync(fixture('video-h264.mp4'))]),
      // Cut off inside the image data: never reaches its end.
      'download.png': png.subarray(0, Math.floor(png.length * 0.6)),
      'download.jpg': jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
    };
    const results: Record<string, unknown> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const result = await preflight.check({ path, size: bytes.length });
      results[name] = result.ok ? result.kind : result.code;
    }
    expect(results).toEqual({
      'export.png': 'image',
      'PXL_20261205_101500000.MP.jpg': 'image',
      'download.png': 'image_file_broken',
      'download.jpg': 'image_file_broken',
    });
  });

  // What only the model cannot use: uploaded with a warning naming the model, or skipped if asked.
  const MODEL_CASES = [
    [
      'too-short.mp4',
      'video_duration_too_short',
      'this video is 2 seconds long; the shortest that can be used is 4 seconds',
      'Use a longer clip.',
    ],
    [
      'too-low-resolution.mp4',
      'video_resolution_too_low',
      'this video is 320×240; the smallest frame that can be used is 360×360',
      'Export it at a larger size.',
    ],
    [
      'too-high-resolution.mp4',
      'video_resolution_too_high',
      'this video is 5760×2400; frames from 360×360 to 5184×2160 can be used',
      'Export it at a smaller size.',
    ],
    [
      'bad-aspect-ratio.mp4',
      'video_resolution_invalid_aspect_ratio',
      'this video is 1280×360, 3.6 times as wide as it is tall; up to 2.4:1 can be used',
      'Crop it to a narrower frame.',
    ],
    [
      'audio-too-short.mp3',
      'audio_duration_too_short',
      'this audio is 2.1 seconds long; the shortest that can be used is 4 seconds',
      'Use a longer clip.',
    ],
    [
      'image-too-small.png',
      'image_too_small',
      'this image is 64×64; the smallest that can be used is 128×128',
      'Use a larger image.',
    ],
  ] as const;

  it.each(MODEL_CASES)('uploads %s with a warning: search cannot use it (%s)', async (name, _code, reason) => {
    const result = await check(name);
    expect(result).toMatchObject({
      ok: true,
      warnings: [`Can't be used for search: ${reason}. It uploads all the same.`],
    });
  });

  it.each(MODEL_CASES)(
    'skips %s (%s) when files search cannot use are to be skipped',
    async (name, code, reason, fix) => {
      const strict = new Preflight({
        prober,
        hashing: () => true,
        use: () => ({ for: 'search', skipUnusable: true, copies: 'skip' }),
      });
      const path = fixture(name);
      const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
      expect(await strict.check({ path, size })).toMatchObject({
        ok: false,
        code,
        message: `Skipped, as it can't be used for search: ${reason}. ${fix}`,
      });
    },
  );

  it('judges by content: an MP4 with sound and no picture is audio, and a renamed file keeps its real type', async () => {
    const dir = await tempDir();
    await copyFile(fixture('audio.mp3'), join(dir, 'interview.mov'));
    const result = await preflight.check({ path: join(dir, 'interview.mov'), size: 20498 });
    expect(result).toMatchObject({ ok: true, kind: 'audio' });
  });

  it('says an empty file is empty, not that it is not a video', async () => {
    const path = join(await tempDir(), 'export.mp4');
    await writeFile(path, '');
    expect(await preflight.check({ path, size: 0 })).toMatchObject({
      ok: false,
      code: 'empty_file',
      message: 'This file is empty (0 bytes), so there is nothing to upload. Remove it from the list.',
    });
  });

  it('does not hash when duplicate detection is off', async () => {
    const quiet = new Preflight({ prober, hashing: () => false });
    const path = fixture('image.png');
    expect(await quiet.check({ path, size: 8828 })).toMatchObject({ ok: true, sha256: null });
  });

  it('probes a large file by reading only its ends, not the whole file', async () => {
    const dir = await tempDir();
    const size = 64 * 1024 * 1024;
    const path = await randomFile(dir, 'long-take.mp4', size);
    const quiet = new Preflight({ prober, hashing: () => false });
    const before = bytesRead();
    const result = await quiet.check({ path, size });
    const read = bytesRead() - before;
    expect(result).toMatchObject({ ok: true, kind: 'video', facts: { durationSeconds: 5, width: 640 } });
    // The probe's budget plus the sniffed head; the whole file would be 64 MiB.
    expect(read).toBeLessThanOrEqual(PROBE_BUDGET_BYTES + 64 * 1024);
  });
});
