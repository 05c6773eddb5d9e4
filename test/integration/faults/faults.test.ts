import { appendFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GateState } from '../../../electron/core/api/gate';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { control, sha256File } from '../../helpers/emulator';
import { filesUnder, openEngine, randomFile, videoToAdd } from '../../helpers/engine';
import { m } from '../../../electron/shared/i18n';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

/** Every fault case runs against both answer shapes: the documented one and a Go server's. */
const SHAPES = ['standard', 'go'] as const;
let shapes: (typeof SHAPES)[number] = 'standard';

async function withEmulator<T>(options: EmulatorOptions, body: (emulator: RunningEmulator) => Promise<T>): Promise<T> {
  const emulator = closeAfter(await startEmulator({ processingDelayMs: 20, mediaChecks: false, shapes, ...options }));
  return await body(emulator);
}

const file = videoToAdd;

describe.each(SHAPES)('the engine under faults (%s answers)', (shape) => {
  beforeAll(() => {
    shapes = shape;
  });

  it('a 429 holds its route group until Retry-After, says "slowed down until", and fails nothing', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { burst429: { count: 1, retryAfterSeconds: 2 } } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        const states: (GateState & { at: number })[] = [];
        engine.gate.on('change', (state) => states.push({ ...state, at: Date.now() }));
        engine.start();
        const {
          ids: [id],
        } = await engine.add([await file(256 * KiB)]);
        await engine.whenIdle();
        expect((await engine.item(id!))?.status.kind).toBe('ready');
        const limited = states.find((state) => state.kind === 'rate-limited');
        expect(limited).toBeDefined();
        if (limited?.kind !== 'rate-limited') throw new Error('no rate limit seen');
        expect(limited.until - limited.at).toBeGreaterThanOrEqual(1900);
        // Nothing went out while the gate was shut: the next request came after the server's time.
        const reopened = states.find((state) => state.kind === 'online' && state.at > limited.at);
        expect(reopened!.at).toBeGreaterThanOrEqual(limited.until - 50);
        await engine.close();
        await journal.close();
      },
    );
  });

  it("a 429 on creating assets holds only creation: a large file's chunks keep going meanwhile", async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        engine.start();
        const {
          ids: [big],
        } = await engine.add([await file(4 * 1024 * KiB, 'big.mp4')]);
        await until(async () => ((await engine.item(big!))?.bytesSent ?? 0) > 0);
        emulator.setFaults({
          chunks: { bandwidthBytesPerSecond: 256 * KiB },
          'assets.create': { burst429: { count: 1, retryAfterSeconds: 3 } },
        });
        const {
          ids: [small],
        } = await engine.add([await file(20 * KiB, 'small.mp4')]);
        await until(() => engine.gate.state.kind === 'rate-limited');
        const before = (await control(emulator, '/stats')).chunk_puts;
        await new Promise((done) => setTimeout(done, 1500));
        expect(engine.gate.state.kind).toBe('rate-limited');
        expect((await control(emulator, '/stats')).chunk_puts).toBeGreaterThan(before + 4);
        await engine.whenIdle();
        expect((await engine.item(big!))?.status.kind).toBe('ready');
        expect((await engine.item(small!))?.status.kind).toBe('ready');
        await engine.close();
        await journal.close();
      },
    );
  });

  it.each(['RequestTimeout', 'ExpiredToken', 'SignatureDoesNotMatch'] as const)(
    'sends a chunk again with a fresh address when the storage answers %s in XML',
    async (code) => {
      await withEmulator(
        { chunkSize: 32 * KiB, faults: { chunks: { storageErrorNext: { count: 3, code } } } },
        async (emulator) => {
          const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
          engine.start();
          const source = await file(256 * KiB);
          const {
            ids: [id],
          } = await engine.add([source]);
          await engine.whenIdle();
          const item = (await engine.item(id!))!;
          expect(item.status.kind, JSON.stringify(item.status)).toBe('ready');
          const stored = await control(emulator, `/assets/${(item.status as { assetId: string }).assetId}`);
          expect(stored.sha256).toBe(await sha256File(source.path));
          await engine.close();
          await journal.close();
        },
      );
    },
  );

  it('sends a file in one piece when TwelveLabs refuses the multipart routes, and says so', async () => {
    await withEmulator(
      { faults: { multipart: { refuseNext: { count: 1, route: 'POST /assets/multipart-uploads', status: 403 } } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        engine.start();
        const source = await file(256 * KiB);
        const {
          ids: [id],
        } = await engine.add([source]);
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        expect(item.status.kind, JSON.stringify(item.status)).toBe('ready');
        expect(item.notice).toBe(
          'TwelveLabs did not allow a resumable upload for this file, so it was sent in one piece.',
        );
        expect((await control(emulator, '/stats')).requests['POST /assets']).toBe(1);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('sends again the chunks TwelveLabs marks failed, with fresh URLs, and completes once', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { multipart: { failChunksNext: { count: 2 } } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        const seen = new Set<string>();
        engine.on('change', (change) => change.items.forEach((item) => seen.add(item.status.kind)));
        engine.start();
        const source = await file(256 * KiB);
        const {
          ids: [id],
        } = await engine.add([source]);
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        expect(item.status.kind, JSON.stringify(item.status)).toBe('ready');
        expect(seen.has('failed')).toBe(false);
        if (item.status.kind !== 'ready') throw new Error('not ready');
        expect((await control(emulator, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(source.path));
        // Eight chunks, and the two the server failed sent once more.
        expect((await control(emulator, '/stats')).chunk_puts).toBe(10);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('a chunk refused for good stops the file’s other chunks too: nothing is sent after it ends', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        engine.start();
        const {
          ids: [id],
        } = await engine.add([await file(1024 * KiB, 'big.mp4')]);
        await until(async () => ((await engine.item(id!))?.bytesSent ?? 0) > 64 * KiB);
        emulator.setFaults({
          chunks: { bandwidthBytesPerSecond: 256 * KiB, refuseNext: { count: 1, route: 'PUT chunk', status: 400 } },
        });
        await until(async () => (await engine.item(id!))?.status.kind === 'failed');
        // A part already on the wire when the others stopped may still land; none starts after.
        await new Promise((done) => setTimeout(done, 300));
        const after = (await control(emulator, '/stats')).chunk_puts;
        await new Promise((done) => setTimeout(done, 1500));
        expect((await control(emulator, '/stats')).chunk_puts).toBe(after);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('waits out a 404 for an asset just made, instead of calling it gone', async () => {
    await withEmulator({ faults: { 'assets.read': { notFoundLagMs: 1500 } } }, async (emulator) => {
      const { engine } = closeAfter(
        await openEngine(emulator, await tempDir(), { multipartThreshold: 10 * 1024 * KiB }),
      );
      engine.start();
      const {
        ids: [id],
      } = await engine.add([await file(40 * KiB)]);
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind).toBe('ready');
    });
  });

  it('a key rejected mid-upload and while processing fails nothing; the files finish once a key is set', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, processingDelayMs: 1500, faults: { chunks: { bandwidthBytesPerSecond: 256 * KiB } } },
      async (emulator) => {
        let key = emulator.apiKey;
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir(), {}, { apiKey: () => key }));
        const seen = new Set<string>();
        engine.on('change', (change) => change.items.forEach((item) => seen.add(item.status.kind)));
        engine.start();
        const {
          ids: [large, small],
        } = await engine.add([await file(1024 * KiB, 'large.mp4'), await file(20 * KiB, 'small.mp4')]);
        // The small one is processing and the large one halfway when the key stops working.
        await until(
          async () =>
            (await engine.item(small!))?.status.kind === 'processing' &&
            ((await engine.item(large!))?.bytesSent ?? 0) > 256 * KiB,
        );
        key = 'tlk_revoked';
        await until(() => engine.gate.state.kind === 'key-rejected');
        await new Promise((done) => setTimeout(done, 2000));
        expect([(await engine.item(large!))?.status.kind, (await engine.item(small!))?.status.kind]).not.toContain(
          'failed',
        );
        key = emulator.apiKey;
        engine.gate.keyChanged();
        await engine.whenIdle();
        expect([(await engine.item(large!))?.status.kind, (await engine.item(small!))?.status.kind]).toEqual([
          'ready',
          'ready',
        ]);
        expect(seen.has('failed')).toBe(false);
        expect(engine.illegalMoves()).toEqual([]);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('waits through an outage as "offline", accepts new files meanwhile, and resumes by itself', async () => {
    await withEmulator({ chunkSize: 32 * KiB }, async (emulator) => {
      const { engine } = closeAfter(await openEngine(emulator, await tempDir()));
      const kinds: string[] = [];
      engine.gate.on('change', (state) => kinds.push(state.kind));
      engine.start();
      const now = (await control(emulator, '/stats')).now;
      emulator.setFaults({ '*': { downUntil: now + 3000 } });
      const { ids: first } = await engine.add([await file(100 * KiB, 'a.mp4')]);
      await until(() => engine.gate.state.kind === 'offline');
      const { ids: second } = await engine.add([await file(150 * KiB, 'b.mp4')]);
      expect(second).toHaveLength(1);
      await engine.whenIdle();
      expect(kinds).toContain('offline');
      expect(engine.gate.state.kind).toBe('online');
      expect(await Promise.all([...first, ...second].map(async (id) => (await engine.item(id))?.status.kind))).toEqual([
        'ready',
        'ready',
      ]);
    });
  });

  it('pauses on a rejected key without failing anything, and resumes once a valid key is set', async () => {
    await withEmulator({}, async (emulator) => {
      let key = 'tlk_revoked';
      const { engine } = closeAfter(await openEngine(emulator, await tempDir(), {}, { apiKey: () => key }));
      engine.start();
      const {
        ids: [id],
      } = await engine.add([await file(20 * KiB)]);
      await until(() => engine.gate.state.kind === 'key-rejected');
      await new Promise((done) => setTimeout(done, 300));
      expect((await engine.item(id!))?.status.kind).toBe('uploading');
      key = emulator.apiKey;
      engine.gate.keyChanged();
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind).toBe('ready');
    });
  });

  it('renews presigned URLs that expired while waiting their turn', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, initialUrlCount: 50, urlTtlMs: 300, faults: { chunks: { latencyMs: 150 } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(
          await openEngine(emulator, await tempDir(), { chunksInFlight: 1 }, { urlMarginMs: 0 }),
        );
        engine.start();
        const source = await file(8 * 32 * KiB);
        const {
          ids: [id],
        } = await engine.add([source]);
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
        expect((await control(emulator, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(source.path));
        expect(
          (await control(emulator, '/stats')).requests['POST /assets/multipart-uploads/{id}/presigned-urls'],
        ).toBeGreaterThan(0);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('restarts a file from zero, saying so, when its 24-hour session expired', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 64 * KiB } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir(), { chunksInFlight: 2 }));
        engine.start();
        const source = await file(12 * 32 * KiB);
        const {
          ids: [id],
        } = await engine.add([source]);
        await until(async () => (await journal.chunks(id!)).length >= 2);
        await engine.pause([id!]);
        emulator.advanceClock(25 * 60 * 60 * 1000);
        emulator.setFaults({});
        await engine.resume([id!]);
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        expect(item.status.kind).toBe('ready');
        expect(item.notice).toBe('The upload session expired, so this file started again from the beginning.');
        expect((await control(emulator, '/stats')).requests['POST /assets/multipart-uploads']).toBe(2);
        if (item.status.kind !== 'ready') throw new Error('not ready');
        expect((await control(emulator, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(source.path));
        await engine.close();
        await journal.close();
      },
    );
  });

  it('creates no duplicate when the response to a direct upload is lost', async () => {
    await withEmulator({ faults: { 'assets.create': { dropNext: 1 } } }, async (emulator) => {
      const { engine } = closeAfter(
        await openEngine(emulator, await tempDir(), { multipartThreshold: 10 * 1024 * KiB }),
      );
      engine.start();
      const {
        ids: [id],
      } = await engine.add([await file(40 * KiB)]);
      await engine.whenIdle();
      expect((await engine.item(id!))?.status.kind).toBe('ready');
      const stats = await control(emulator, '/stats');
      expect(stats.requests['POST /assets']).toBe(1);
      expect(stats.assets).toBe(1);
    });
  });

  it('creates no second session when the response to a multipart create is lost', async () => {
    await withEmulator({ chunkSize: 32 * KiB, faults: { multipart: { dropNext: 1 } } }, async (emulator) => {
      const { engine } = closeAfter(await openEngine(emulator, await tempDir()));
      engine.start();
      const source = await file(200 * KiB);
      const {
        ids: [id],
      } = await engine.add([source]);
      await engine.whenIdle();
      const item = (await engine.item(id!))!;
      expect(item.status.kind).toBe('ready');
      const stats = await control(emulator, '/stats');
      expect(stats.requests['POST /assets/multipart-uploads']).toBe(1);
      expect(stats.assets).toBe(1);
      if (item.status.kind !== 'ready') throw new Error('not ready');
      expect((await control(emulator, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(source.path));
    });
  });

  it('never sends a file half old, half new: a change mid-upload starts the new version from zero', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 64 * KiB } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir(), { chunksInFlight: 1 }));
        engine.start();
        const source = await file(10 * 32 * KiB);
        const {
          ids: [id],
        } = await engine.add([source]);
        const kinds = new Set<string>();
        engine.on('change', (change) => change.items.forEach((item) => kinds.add(item.status.kind)));
        await until(async () => (await journal.chunks(id!)).length >= 2);
        await appendFile(source.path, Buffer.alloc(1000, 7));
        await until(async () => (await journal.chunks(id!)).length === 0);
        emulator.setFaults({});
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
        expect(item.size).toBe(10 * 32 * KiB + 1000);
        expect((await control(emulator, `/assets/${item.status.assetId}`)).sha256).toBe(await sha256File(source.path));
        expect((await control(emulator, '/stats')).assets_by_status.ready).toBe(1);
        expect(kinds.has('failed')).toBe(false);
      },
    );
  });

  it('a file that grows while it is sent is still being written: checked again once it settles, then sent whole', async () => {
    await withEmulator(
      { chunkSize: 32 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 64 * KiB } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(
          await openEngine(emulator, await tempDir(), { chunksInFlight: 1 }, { preflight: true, settleMs: 300 }),
        );
        engine.start();
        const path = await randomFile(await tempDir(), 'render.mp4', 320 * KiB);
        const {
          ids: [id],
        } = await engine.add(await filesUnder(path));
        await until(async () => (await journal.chunks(id!)).length >= 2);
        // The render writes on: a box more at its end.
        const more = Buffer.alloc(1000, 9);
        more.writeUInt32BE(1000, 0);
        more.write('free', 4, 'latin1');
        await appendFile(path, more);
        await until(async () => (await engine.item(id!))?.status.kind === 'checking');
        expect(await engine.item(id!)).toMatchObject({ notice: m.check_still_written(), bytesSent: 0 });
        emulator.setFaults({});
        await engine.whenIdle();
        const item = (await engine.item(id!))!;
        if (item.status.kind !== 'ready') throw new Error(JSON.stringify(item.status));
        expect(item.size).toBe(320 * KiB + 1000);
        const asset = await control(emulator, `/assets/${item.status.assetId}`);
        // Sent whole, and fingerprinted again: the fingerprint is of the bytes that were sent.
        expect(asset.sha256).toBe(await sha256File(path));
        expect(asset.user_metadata.content_sha256).toBe(asset.sha256);
        expect((await control(emulator, '/stats')).assets_by_status.ready).toBe(1);
      },
    );
  });

  it('waits for a file on a drive that went away, and continues when it is back', async () => {
    await withEmulator({}, async (emulator) => {
      const { engine } = closeAfter(await openEngine(emulator, await tempDir()));
      const source = await file(30 * KiB);
      const away = join(await tempDir(), 'elsewhere.mp4');
      await rename(source.path, away);
      engine.start();
      const {
        ids: [id],
      } = await engine.add([source]);
      await until(async () => (await engine.item(id!))?.status.kind === 'file-missing');
      await rename(away, source.path);
      await until(async () => (await engine.item(id!))?.status.kind === 'ready');
    });
  });
});
