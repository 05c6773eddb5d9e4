import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { api, control } from '../../helpers/emulator';
import { openEngine, videoToAdd } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;

async function withEmulator(options: EmulatorOptions, body: (emulator: RunningEmulator) => Promise<void>) {
  const emulator = closeAfter(await startEmulator({ mediaChecks: false, ...options }));
  await body(emulator);
}

const requests = async (emulator: RunningEmulator) =>
  (await control(emulator, '/stats')).requests as Record<string, number | undefined>;

describe('following uploads through processing', () => {
  it('asks about many processing assets in one list call, not one GET each', async () => {
    await withEmulator({ processingDelayMs: 600 }, async (emulator) => {
      const { engine } = closeAfter(await openEngine(emulator, await tempDir(), { filesInFlight: 6 }));
      const processed: string[] = [];
      engine.on('processed', (asset) => processed.push(asset._id));
      engine.start();
      const files = await Promise.all(Array.from({ length: 30 }, (_, i) => videoToAdd(8 * KiB, `clip-${i}.mp4`)));
      const { ids } = await engine.add(files);
      await engine.whenIdle();
      expect(await Promise.all(ids.map(async (id) => (await engine.item(id))?.status.kind))).toEqual(
        ids.map(() => 'ready'),
      );
      const seen = await requests(emulator);
      expect(seen['GET /assets/{id}'] ?? 0).toBe(0);
      // 30 assets, each checked a few times over 600 ms of processing, in a handful of calls.
      expect(seen['GET /assets']).toBeLessThan(30);
      // Each finished asset is handed on as the server described it: the Library needs no GET.
      expect(new Set(processed).size).toBe(30);
    });
  });

  it('asks about each asset alone when the list call is refused', async () => {
    await withEmulator(
      { processingDelayMs: 100, faults: { 'assets.read': { refuseNext: { count: 100, route: 'GET /assets' } } } },
      async (emulator) => {
        const { engine, journal } = closeAfter(await openEngine(emulator, await tempDir()));
        engine.start();
        const { ids } = await engine.add([await videoToAdd(8 * KiB, 'a.mp4'), await videoToAdd(8 * KiB, 'b.mp4')]);
        await engine.whenIdle();
        expect(await Promise.all(ids.map(async (id) => (await engine.item(id))?.status.kind))).toEqual([
          'ready',
          'ready',
        ]);
        expect((await requests(emulator))['GET /assets/{id}']).toBeGreaterThanOrEqual(2);
        await engine.close();
        await journal.close();
      },
    );
  });

  it('says an asset deleted while processing is gone, once it is past the time a new one may be unseen', async () => {
    await withEmulator({ processingDelayMs: 60_000 }, async (emulator) => {
      let clock = Date.now();
      const { engine } = closeAfter(await openEngine(emulator, await tempDir(), {}, { now: () => clock }));
      engine.start();
      const {
        ids: [id],
      } = await engine.add([await videoToAdd(8 * KiB, 'deleted.mp4')]);
      await until(async () => (await engine.item(id!))?.status.kind === 'processing');
      const status = (await engine.item(id!))!.status;
      if (status.kind !== 'processing') throw new Error(status.kind);
      expect((await api(emulator, `/assets/${status.assetId}`, { method: 'DELETE' })).status).toBe(204);
      // Left out of the list while young: not yet called gone.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await engine.item(id!))?.status.kind).toBe('processing');
      clock += 61_000;
      await until(async () => (await engine.item(id!))?.status.kind === 'failed');
      expect((await engine.item(id!))?.status).toMatchObject({ kind: 'failed', code: 'resource_not_exist' });
    });
  });
});
