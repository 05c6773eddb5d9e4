import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Prober } from '../../../../electron/core/media/probe';
import { lookAt } from '../../../../electron/core/media/look';
import { MediaThreads } from '../../../../electron/core/media/media-threads';
import { fixture } from '../../../helpers/emulator';
import { tempDir } from '../../../helpers/temp-dir';

const prober = new Prober(1);
const threads = new MediaThreads(1);
const probe = (path: string) => prober.probe(path);
afterAll(() => {
  prober.close();
  threads.close();
});

/** One frame of FFmpeg's test pattern at `size`, in `pix_fmt`, written to `path`. */
async function still(path: string, size: string, pixFmt: string): Promise<string> {
  await promisify(execFile)('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}`],
    ...['-frames:v', '1', '-pix_fmt', pixFmt, path],
  ]);
  return path;
}

/**
 * A JPEG with an EXIF-style APP1 segment holding a whole thumbnail JPEG of another size right after
 * its start, as cameras write them: the thumbnail's own start-of-frame must not be taken for the
 * picture's.
 */
async function withThumbnail(path: string, picture: Buffer, thumbnail: Buffer): Promise<string> {
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumbnail]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(body.length + 2, 2);
  await writeFile(path, Buffer.concat([picture.subarray(0, 2), app1, body, picture.subarray(2)]));
  return path;
}

describe('stills read by walking them, as MediaInfo reads them', () => {
  it('gives the format and frame size MediaInfo gives, for the stills archives are made of', async () => {
    const dir = await tempDir();
    const thumb = await readFile(await still(join(dir, 'thumb.jpg'), '160x120', 'yuvj420p'));
    const photo = await readFile(await still(join(dir, 'photo.jpg'), '1024x768', 'yuvj420p'));
    const paths = [
      fixture('image.jpg'),
      fixture('image.png'),
      await still(join(dir, 'full-chroma.jpg'), '333x221', 'yuvj444p'),
      await still(join(dir, 'grey.jpg'), '640x480', 'gray'),
      await still(join(dir, 'alpha.png'), '300x200', 'rgba'),
      await still(join(dir, 'deep.png'), '257x129', 'rgb48be'),
      await still(join(dir, 'grey.png'), '128x4000', 'gray'),
      await withThumbnail(join(dir, 'camera.jpg'), photo, thumb),
      // A motion photo: the picture, then a video after its end-of-image marker.
      await writeFile(
        join(dir, 'PXL_20261205_101500000.MP.jpg'),
        Buffer.concat([photo, await readFile(fixture('video-h264.mp4'))]),
      ).then(() => join(dir, 'PXL_20261205_101500000.MP.jpg')),
    ];
    let probed = 0;
    const counted = (path: string) => ((probed += 1), probe(path));
    for (const path of paths) {
      const mediaInfo = await probe(path);
      expect({ path, ...(await lookAt(path, counted)) }).toMatchObject({ path, facts: mediaInfo, complete: true });
      // In a media thread, the same.
      expect(await threads.look(path)).toEqual(await lookAt(path, probe));
    }
    // Each one's facts came from its walk, not MediaInfo's analysis.
    expect(probed).toBe(0);
  });

  it('leaves to MediaInfo a still cut off before it says its size, and what is not a still', async () => {
    const dir = await tempDir();
    const jpeg = await readFile(fixture('image.jpg'));
    const path = join(dir, 'cut.jpg');
    await writeFile(path, jpeg.subarray(0, 40));
    const asked: string[] = [];
    const noted = (file: string) => (asked.push(file), probe(file));
    expect(await lookAt(path, noted)).toMatchObject({ sniffed: { mime: 'image/jpeg' }, complete: false });
    const video = await lookAt(fixture('video-h264.mp4'), noted);
    expect(video).toEqual({
      sniffed: { kind: 'video', mime: 'video/mp4' },
      facts: await probe(fixture('video-h264.mp4')),
    });
    expect(asked).toEqual([path, fixture('video-h264.mp4')]);
  });

  it('reads a large still past its first read, and says a file it cannot open is of no known type', async () => {
    const dir = await tempDir();
    const large = await still(join(dir, 'large.png'), '1920x1080', 'rgb48be');
    expect((await readFile(large)).length).toBeGreaterThan(64 * 1024);
    expect(await lookAt(large, probe)).toMatchObject({ facts: await probe(large), complete: true });
    const cut = join(dir, 'cut.png');
    await writeFile(cut, (await readFile(large)).subarray(0, 100_000));
    expect(await lookAt(cut, probe)).toMatchObject({ facts: { width: 1920 }, complete: false });
    expect(await lookAt(join(dir, 'gone.jpg'), probe)).toEqual({
      sniffed: { kind: null, mime: 'application/octet-stream' },
      facts: null,
    });
  });
});
