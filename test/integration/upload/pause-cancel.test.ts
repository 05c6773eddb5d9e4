import { describe, expect, it } from 'vitest';
import type { UploadEngine } from '../../../electron/core/upload/engine';
import type { Journal } from '../../../electron/core/upload/journal';
import { control, fixture, sha256File, useEmulator } from '../../helpers/emulator';
import { openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;
const CHUNK = 256 * KiB;
const SIZE = 16 * CHUNK;

describe('pause, resume and cancel of a multipart upload', () => {
  // Chunk bodies are read at 256 KB/s each, so a 4 MiB file takes a few seconds: time to act mid-way.
  const emulator = useEmulator({
    chunkSize: CHUNK,
    mediaChecks: false,
    faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } },
  });

  async function startLargeUpload(): Promise<{ engine: UploadEngine; journal: Journal; id: string; path: string }> {
    const path = await randomFile(await tempDir(), 'long-take.mov', SIZE);
    const { engine, journal } = closeAfter(await openEngine(emulator.current, await tempDir()));
    engine.start();
    const {
      ids: [id],
    } = await engine.add([
      {
        path,
        relativePath: 'long-take.mov',
        size: SIZE,
        mtimeMs: (await import('node:fs')).statSync(path).mtimeMs,
        kind: 'video',
        mime: 'video/quicktime',
      },
    ]);
    await until(async () => (await journal.chunks(id!)).length >= 3);
    return { engine, journal, id: id!, path };
  }

  it('pauses at once, keeps every confirmed chunk, and resumes without sending them again', async () => {
    const before = await control(emulator.current, '/stats');
    const { engine, journal, id, path } = await startLargeUpload();

    await engine.pause([id]);
    expect((await engine.item(id))?.status).toEqual({ kind: 'paused' });
    const journalled = await journal.chunks(id);
    expect(journalled.every((chunk) => chunk.reported)).toBe(true);
    const session = await journal.session(id);
    const server = await (
      await import('../../helpers/emulator')
    ).api(emulator.current, `/assets/multipart-uploads/${session!.uploadId}`);
    expect(server.body.chunks_completed).toBe(journalled.length);

    const putsAtPause = (await control(emulator.current, '/stats')).chunk_puts;
    await new Promise((done) => setTimeout(done, 600));
    expect((await control(emulator.current, '/stats')).chunk_puts).toBe(putsAtPause);

    await engine.resume([id]);
    await engine.whenIdle();
    const item = (await engine.item(id))!;
    if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
    expect((await control(emulator.current, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(path));
    const after = await control(emulator.current, '/stats');
    // Only the chunks that were in flight at the pause can have been sent twice.
    expect(after.chunk_puts - before.chunk_puts).toBeLessThanOrEqual(16 + 4);
    expect(
      after.requests['POST /assets/multipart-uploads'] - (before.requests['POST /assets/multipart-uploads'] ?? 0),
    ).toBe(1);
    expect(engine.illegalMoves()).toEqual([]);
  });

  it('cancels cleanly: nothing left half-reported in the journal, nothing more sent; Retry starts over', async () => {
    const before = await control(emulator.current, '/stats');
    const { engine, journal, id, path } = await startLargeUpload();

    await engine.cancel([id]);
    expect((await engine.item(id))?.status).toEqual({ kind: 'cancelled' });
    expect((await engine.item(id))?.bytesSent).toBe(0);
    expect(await journal.session(id)).toBeUndefined();
    expect(await journal.chunks(id)).toEqual([]);
    const putsAtCancel = (await control(emulator.current, '/stats')).chunk_puts;
    await new Promise((done) => setTimeout(done, 600));
    expect((await control(emulator.current, '/stats')).chunk_puts).toBe(putsAtCancel);

    await engine.retry([id]);
    await engine.whenIdle();
    const item = (await engine.item(id))!;
    if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
    expect((await control(emulator.current, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(path));
    const after = await control(emulator.current, '/stats');
    expect(
      after.requests['POST /assets/multipart-uploads'] - (before.requests['POST /assets/multipart-uploads'] ?? 0),
    ).toBe(2);
    expect(engine.illegalMoves()).toEqual([]);
  });

  it('pauses and resumes everything waiting, keeping queue order; removes and moves to the top', async () => {
    const { engine, journal } = closeAfter(await openEngine(emulator.current, await tempDir(), { filesInFlight: 1 }));
    const dir = await tempDir();
    const files = [];
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) {
      const path = await randomFile(dir, name, 8 * KiB);
      files.push({
        path,
        relativePath: name,
        size: 8 * KiB,
        mtimeMs: (await import('node:fs')).statSync(path).mtimeMs,
        kind: 'video' as const,
        mime: 'video/mp4',
      });
    }
    const {
      ids: [a, b, c],
    } = await engine.add(files);
    await engine.pause('all');
    expect((await engine.items()).map((item) => item.status.kind)).toEqual(['paused', 'paused', 'paused']);
    await engine.moveToTop([c!]);
    expect((await engine.items()).map((item) => item.name)).toEqual(['c.mp4', 'a.mp4', 'b.mp4']);
    await engine.remove([b!]);
    expect((await engine.items()).map((item) => item.name)).toEqual(['c.mp4', 'a.mp4']);
    expect((await journal.items()).map((item) => item.name)).toEqual(['c.mp4', 'a.mp4']);
    engine.start();
    await engine.resume('all');
    await engine.whenIdle();
    expect((await engine.items()).map((item) => item.status.kind)).toEqual(['ready', 'ready']);
    await engine.clearFinished();
    expect(await engine.items()).toEqual([]);
    expect(a).toBeDefined();
    expect(engine.illegalMoves()).toEqual([]);
  });
});

describe('Retry', () => {
  const emulator = useEmulator({ processingDelayMs: 20 });

  it('"Retry failed" sends again only what failed and may succeed, as a row\'s Retry would', async () => {
    const { engine } = closeAfter(
      await openEngine(emulator.current, await tempDir(), { filesInFlight: 1 }, { retryAttempts: 1 }),
    );
    const dir = await tempDir();
    const files = await Promise.all(
      ['refused.jpg', 'server-down.jpg', 'cancelled.jpg'].map(async (name) => {
        const path = `${dir}/${name}`;
        await (await import('node:fs/promises')).copyFile(fixture('image.jpg'), path);
        return {
          path,
          relativePath: name,
          size: (await import('node:fs')).statSync(path).size,
          mtimeMs: 1,
          kind: 'image' as const,
          mime: 'image/jpeg',
        };
      }),
    );
    // One at a time, so each meets its own answer: refused for good, a server that keeps failing,
    // and one the person cancelled.
    emulator.current.setFaults({ 'assets.create': { refuseNext: { count: 1, status: 400 } } });
    engine.start();
    const {
      ids: [refused],
    } = await engine.add([files[0]!]);
    await until(async () => (await engine.item(refused!))?.status.kind === 'failed');
    emulator.current.setFaults({ 'assets.create': { errorRate: 1 } });
    const {
      ids: [down],
    } = await engine.add([files[1]!]);
    await until(async () => (await engine.item(down!))?.status.kind === 'failed');
    const {
      ids: [cancelled],
    } = await engine.add([files[2]!]);
    await engine.cancel([cancelled!]);
    await until(async () => (await engine.item(cancelled!))?.status.kind === 'cancelled');
    expect((await engine.item(refused!))?.status).toMatchObject({ code: 'parameter_invalid', retryable: false });
    expect((await engine.item(down!))?.status).toMatchObject({ code: 'server_error', retryable: true });
    emulator.current.setFaults({});
    await engine.retry('all');
    await engine.whenIdle();
    expect(
      await Promise.all([refused, down, cancelled].map(async (id) => (await engine.item(id!))?.status.kind)),
    ).toEqual(['failed', 'ready', 'cancelled']);
  });
});
