import { copyFile, mkdir, stat, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

/** A throttled emulator (bytes per second per connection) and an engine on it, closed after the test. */
async function slowEngine(bandwidthBytesPerSecond: number, chunkSize: number) {
  const slow = closeAfter(
    await startEmulator({
      chunkSize,
      processingDelayMs: 10,
      mediaChecks: false,
      faults: { chunks: { bandwidthBytesPerSecond } },
    }),
  );
  return closeAfter(await openEngine(slow, await tempDir())).engine;
}

/** A generated video as the scan would add it. */
async function videoAt(path: string) {
  const { size, mtimeMs } = await stat(path);
  return { path, relativePath: basename(path), size, mtimeMs, kind: 'video' as const, mime: 'video/mp4' };
}

describe('the upload engine against the emulator', () => {
  // The model's rules at upload too (the seed's way), so a file can fail processing with a reason.
  const emulator = useEmulator({ chunkSize: 32 * KiB, initialUrlCount: 2, modelRulesAtUpload: true });

  it('uploads a mixed folder, each file once and byte for byte, large video through multipart', async () => {
    const library = join(await tempDir(), 'Shoot');
    await mkdir(join(library, 'B-cam'), { recursive: true });
    for (const name of ['image.jpg', 'image.png', 'audio.mp3', 'audio.wav', 'video-vp9.webm']) {
      await copyFile(fixture(name), join(library, name));
    }
    await copyFile(fixture('video-h264.mp4'), join(library, 'B-cam', 'interview.mp4'));
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir()));
    engine.start();
    const files = await filesUnder(library);
    const { ids } = await engine.add(files.map((file) => ({ ...file, userMetadata: { project: 'alpha', take: 3 } })));
    expect(ids).toHaveLength(6);
    await engine.whenIdle();

    const items = await engine.items();
    expect(items.map((item) => [item.relativePath, item.strategy, item.status.kind])).toEqual([
      ['Shoot/audio.mp3', 'direct', 'ready'],
      ['Shoot/audio.wav', 'direct', 'ready'],
      ['Shoot/B-cam/interview.mp4', 'multipart', 'ready'],
      ['Shoot/image.jpg', 'direct', 'ready'],
      ['Shoot/image.png', 'direct', 'ready'],
      ['Shoot/video-vp9.webm', 'direct', 'ready'],
    ]);
    for (const item of items) {
      if (item.status.kind !== 'ready') throw new Error('not ready');
      const stored = await control(emulator.current, `/assets/${item.status.assetId}`);
      expect(stored.sha256, item.name).toBe(await sha256File(item.path));
      expect(stored.user_metadata).toEqual({ project: 'alpha', take: 3 });
    }
    const stats = await control(emulator.current, '/stats');
    expect(stats.requests['POST /assets/multipart-uploads']).toBe(1);
    expect(stats.chunk_puts).toBe(5);
  });

  it('does not queue the same file twice, and records a non-media file as rejected with a reason', async () => {
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir()));
    const files = await filesUnder(fixture('image.jpg'), fixture('notes-renamed.mp4'));
    const { ids: first } = await engine.add(files);
    const again = await engine.add(files);
    expect(first).toHaveLength(2);
    // Each caller (the window, the CLI, watched folders) hears which were listed, and their rows.
    expect(again).toEqual({
      ids: [],
      alreadyListed: files.map((file, at) => ({ path: file.path, id: first[at] })),
    });
    // A path named twice in one add is one row, and the second mention names it.
    const twice = await engine.add([
      ...(await filesUnder(fixture('audio.mp3'))),
      ...(await filesUnder(fixture('audio.mp3'))),
    ]);
    expect(twice.ids).toHaveLength(1);
    expect(twice.alreadyListed).toEqual([{ path: fixture('audio.mp3'), id: twice.ids[0] }]);
    const rejected = (await engine.items()).find((item) => item.name === 'notes-renamed.mp4');
    expect(rejected?.status).toEqual({
      kind: 'rejected',
      code: 'unsupported_type',
      message: 'This is not a video, audio, image or document file.',
    });
  });

  it('fails an item with plain words when the server keeps erroring, and Retry then succeeds', async () => {
    const faulty = closeAfter(
      await startEmulator({ processingDelayMs: 20, faults: { 'assets.create': { errorRate: 1 } } }),
    );
    const { engine } = closeAfter(await openEngine(faulty, await tempDir()));
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('image.jpg')));
    await engine.whenIdle();
    expect((await engine.item(id!))?.status).toEqual({
      kind: 'failed',
      code: 'server_error',
      message: 'TwelveLabs had a problem on its side.',
      detail: 'The server had an error while processing your request.',
      retryable: true,
    });
    expect((await control(faulty, '/stats')).requests['POST /assets']).toBe(3);
    faulty.setFaults({});
    await engine.retry([id!]);
    await engine.whenIdle();
    expect((await engine.item(id!))?.status.kind).toBe('ready');
    expect((await control(faulty, '/stats')).assets).toBe(1);
  });

  it('reports the server reason when an asset fails processing', async () => {
    const { engine } = closeAfter(
      await openEngine(emulator.current, await tempDir(), { multipartThreshold: 10 * KiB }),
    );
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('too-short.mp4')));
    await engine.whenIdle();
    expect((await engine.item(id!))?.status).toMatchObject({
      kind: 'failed',
      code: 'processing_failed',
      message: 'TwelveLabs could not process this file.',
      detail:
        'The video is too short. Please use a video with a duration of at least 4 seconds. Current duration is 2 seconds.',
      retryable: false,
    });
  });

  it('uploads the new version from the start when a file changed since it was queued', async () => {
    const dir = await tempDir();
    const path = await randomFile(dir, 'clip.mp4', 200 * KiB);
    const quiet = closeAfter(await startEmulator({ chunkSize: 32 * KiB, processingDelayMs: 10, mediaChecks: false }));
    const { engine } = closeAfter(await openEngine(quiet, await tempDir()));
    const {
      ids: [id],
    } = await engine.add([
      { path, relativePath: 'clip.mp4', size: 200 * KiB, mtimeMs: 1, kind: 'video', mime: 'video/mp4' },
    ]);
    await randomFile(dir, 'clip.mp4', 300 * KiB);
    await utimes(path, new Date(), new Date());
    engine.start();
    await engine.whenIdle();
    const item = (await engine.item(id!))!;
    expect(item.size).toBe(300 * KiB);
    if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
    expect((await control(quiet, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(path));
  });

  it('tells listeners the speed fell to nothing once bytes stop moving, not the last figure', async () => {
    const dir = await tempDir();
    const path = await randomFile(dir, 'clip.mp4', 600 * KiB);
    const engine = await slowEngine(256 * KiB, 32 * KiB);
    const speeds: number[] = [];
    engine.on('change', (change) => speeds.push(change.totals.bytesPerSecond));
    engine.start();
    await engine.add([await videoAt(path)]);
    await engine.whenIdle();
    expect(Math.max(...speeds)).toBeGreaterThan(100 * KiB);
    // The last event says so by itself: nobody has to ask again.
    await until(() => speeds.at(-1) === 0, 8000);
    expect(engine.totals()).toMatchObject({ bytesPerSecond: 0, secondsLeft: 0 });
  });

  it('Clear finished leaves what needs attention, can be undone for a while, then goes to the history', async () => {
    const { engine, journal } = closeAfter(await openEngine(emulator.current, await tempDir(), {}, { undoMs: 600 }));
    engine.start();
    const { ids } = await engine.add(
      await filesUnder(fixture('image.jpg'), fixture('image.png'), fixture('notes-renamed.mp4')),
    );
    await engine.whenIdle();
    expect(await engine.clearFinished()).toBe(2);
    expect((await engine.items()).map((item) => item.name)).toEqual(['notes-renamed.mp4']);
    // Undone in time: the rows are back as they were, and the journal never lost them.
    expect(await engine.undoClear()).toBe(2);
    expect((await engine.items()).map((item) => item.status.kind).sort()).toEqual(['ready', 'ready', 'rejected']);
    expect(await engine.undoClear()).toBe(0);
    // Cleared again and left: after the undo time the journal lets them go, into the batch history.
    expect(await engine.clearFinished()).toBe(2);
    await until(async () => (await journal.items()).length === 1, 5000);
    expect(await engine.undoClear()).toBe(0);
    const batches = await engine.history();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.states).toEqual({ ready: 2, rejected: 1 });
    expect((await engine.report(batches[0]!.batchId)).map((row) => row.itemId).sort()).toEqual([...ids].sort());
  });

  it('gives a large file its own speed and time left on its row, and a small one none', async () => {
    const dir = await tempDir();
    const large = await randomFile(dir, 'interview.mp4', 65 * 1024 * KiB);
    const small = await randomFile(dir, 'slate.mp4', 300 * KiB);
    const engine = await slowEngine(1536 * KiB, 1024 * KiB);
    const paces = new Map<string, { bytesPerSecond: number; secondsLeft: number | null }[]>();
    engine.on('change', (change) => {
      for (const item of change.items)
        if (item.pace) paces.set(item.name, [...(paces.get(item.name) ?? []), item.pace]);
    });
    engine.start();
    await engine.add([await videoAt(large), await videoAt(small)]);
    await engine.whenIdle();
    expect(paces.has('slate.mp4')).toBe(false);
    const seen = paces.get('interview.mp4') ?? [];
    expect(Math.max(...seen.map((pace) => pace.bytesPerSecond))).toBeGreaterThan(1024 * KiB);
    expect(seen.some((pace) => pace.secondsLeft !== null && pace.secondsLeft > 0)).toBe(true);
    expect((await engine.items()).every((item) => item.pace === undefined)).toBe(true);
  });
});
