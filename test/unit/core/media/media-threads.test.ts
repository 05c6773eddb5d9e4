import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFile } from '../../../../electron/core/media/hash';
import { lookAt } from '../../../../electron/core/media/look';
import { MediaThreads } from '../../../../electron/core/media/media-threads';
import { Prober } from '../../../../electron/core/media/probe';
import { fixture } from '../../../helpers/emulator';
import { randomFile } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/temp-dir';

let threads: MediaThreads | null = null;
afterEach(() => {
  threads?.close();
  threads = null;
});

describe('MediaThreads', () => {
  it('looks at and hashes files in worker threads exactly as on this thread', async () => {
    threads = new MediaThreads(2);
    const here = new Prober(1);
    for (const name of ['video-h264.mp4', 'audio.mp3', 'image.png', 'image-truncated.jpg', 'notes-renamed.mp4']) {
      expect(await threads.look(fixture(name))).toEqual(await lookAt(fixture(name), (path) => here.probe(path)));
      expect(await threads.hash(fixture(name))).toBe(await hashFile(fixture(name)));
    }
    here.close();
  });

  it('hashes a file longer than one read, and an empty one, as SHA-256 of all its bytes', async () => {
    threads = new MediaThreads(1);
    const dir = await tempDir();
    for (const [name, size] of [
      ['long.mp4', 3.5 * 1024 * 1024],
      ['empty.mp4', 0],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, randomBytes(size));
      const whole = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
      expect(await hashFile(path)).toBe(whole);
      expect(await threads.hash(path)).toBe(whole);
    }
  });

  it('says a file it cannot open cannot be read, as hashFile does', async () => {
    threads = new MediaThreads(1);
    expect(await threads.look('/nowhere/clip.mp4')).toMatchObject({ sniffed: { kind: null }, facts: null });
    await expect(threads.hash('/nowhere/clip.mp4')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops a hash when asked', async () => {
    threads = new MediaThreads(1);
    const large = await randomFile(await tempDir(), 'large.mp4', 256 * 1024 * 1024);
    const controller = new AbortController();
    const hashing = threads.hash(large, controller.signal);
    setTimeout(() => controller.abort(new Error('stopped')), 20);
    await expect(hashing).rejects.toThrow('stopped');
    // The thread is free again at once, not after reading the rest of the file.
    expect(await threads.look(fixture('audio.mp3'))).toMatchObject({ sniffed: { kind: 'audio' } });
  });

  it('lets a look go as soon as it is stopped, not when its thread gets to it', async () => {
    threads = new MediaThreads(1);
    // Probes take turns in a thread: the later looks of this row wait behind the first.
    const controller = new AbortController();
    const looks = Array.from({ length: 12 }, () => threads!.look(fixture('video-h264.mp4'), controller.signal));
    controller.abort(new Error('closing'));
    for (const look of looks) await expect(look).rejects.toThrow('closing');
    // Their answers, when the thread sends them, are dropped; the next look gets its own.
    expect(await threads.look(fixture('audio.mp3'))).toMatchObject({ sniffed: { kind: 'audio' } });
    await expect(threads.look(fixture('audio.mp3'), controller.signal)).rejects.toThrow('closing');
  });
});
