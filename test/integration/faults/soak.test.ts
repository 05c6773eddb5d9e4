import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { control, sha256File } from '../../helpers/emulator';
import { openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { closeAfter } from '../../helpers/cleanup';
import type { FileToAdd } from '../../../electron/core/media/intake';

const KiB = 1024;

/**
 * A night of bad network in about a minute, on loopback: a few hundred files through the emulator
 * with 10% server errors, connections reset mid-chunk, 429 bursts with Retry-After, a 20-second
 * outage and presigned URLs that expire in seconds. Every file must end uploaded exactly once and
 * byte-identical, with nothing marked failed.
 */
describe.each(['standard', 'go'] as const)('soak: uploads survive a hostile network (%s answers)', (shapes) => {
  it('uploads every file exactly once, byte for byte, through faults of every kind', { timeout: 180_000 }, async () => {
    const emulator = closeAfter(
      await startEmulator({
        shapes,
        seed: 42,
        chunkSize: 64 * KiB,
        urlTtlMs: 4000,
        processingDelayMs: 20,
        mediaChecks: false,
        faults: {
          '*': { errorRate: 0.1 },
          chunks: { errorRate: 0.1, resetRate: 0.05 },
          'assets.create': { errorRate: 0.1, burst429: { count: 3, retryAfterSeconds: 2 } },
        },
      }),
    );
    const dir = await tempDir();
    const files: FileToAdd[] = [];
    const add = async (name: string, size: number, mime: string) => {
      const path = await randomFile(dir, name, size);
      const { mtimeMs } = await stat(path);
      files.push({ path, relativePath: name, size, mtimeMs, kind: 'video', mime });
    };
    for (let i = 0; i < 240; i += 1) {
      await add(`still_${String(i).padStart(3, '0')}.mp4`, 8 * KiB + ((i * 997) % (48 * KiB)), 'video/mp4');
    }
    for (let i = 0; i < 6; i += 1) await add(`take_${i}.mov`, 1024 * KiB + i * 97 * KiB, 'video/quicktime');
    const { engine } = closeAfter(
      await openEngine(
        emulator,
        await tempDir(),
        { filesInFlight: 6, chunksInFlight: 6, multipartThreshold: 512 * KiB },
        { retryAttempts: 8, urlMarginMs: 500 },
      ),
    );
    const gateKinds = new Set<string>();
    engine.gate.on('change', (state) => gateKinds.add(state.kind));
    engine.start();
    const { ids } = await engine.add(files);
    // Once a fifth of the files are in (not after a fixed time, which a fast machine could
    // outrun), the server goes away for twenty seconds.
    let outage: Promise<void> | null = null;
    engine.on('change', (change) => {
      if (outage || change.totals.outcome.uploaded < files.length / 5) return;
      outage = control(emulator, '/stats').then(({ now }) => {
        emulator.setFaults({
          '*': { errorRate: 0.1, downUntil: now + 20_000 },
          chunks: { errorRate: 0.1, resetRate: 0.05, downUntil: now + 20_000 },
          'assets.create': { errorRate: 0.1, downUntil: now + 20_000 },
        });
      });
    });
    await engine.whenIdle();
    expect(outage, 'the outage never started').not.toBeNull();

    const items = await Promise.all(ids.map(async (id) => (await engine.item(id))!));
    const notReady = items.filter((item) => item.status.kind !== 'ready');
    expect(notReady.map((item) => `${item.name}: ${JSON.stringify(item.status)}`)).toEqual([]);
    const assetIds = items.map((item) => (item.status.kind === 'ready' ? item.status.assetId : ''));
    expect(new Set(assetIds).size).toBe(files.length);
    const stats = await control(emulator, '/stats');
    expect(stats.assets).toBe(files.length);
    for (const item of items) {
      const stored = await control(emulator, `/assets/${item.status.kind === 'ready' ? item.status.assetId : ''}`);
      expect(stored.sha256, item.name).toBe(await sha256File(item.path));
    }
    expect(gateKinds).toContain('offline');
    expect(gateKinds).toContain('rate-limited');
    console.log(
      `soak: ${files.length} files, ${stats.chunk_puts} chunk PUTs, requests ${JSON.stringify(stats.requests)}, gate states ${[...gateKinds].join(', ')}`,
    );
    // Every move the engine made is one the status table allows.
    expect(engine.illegalMoves()).toEqual([]);
  });
});
