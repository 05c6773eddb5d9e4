import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingCost, type IndexState } from '../../../electron/shared/indexes';
import type { RunningEmulator } from '../../emulator/server';
import { closeAfter } from '../../helpers/cleanup';
import { api, control, createIndex, fixture, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine, randomFile } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

/** Every job the emulator holds for an index, by asset. */
async function jobsOf(emulator: RunningEmulator, indexId: string): Promise<{ asset_id: string; status: string }[]> {
  const { body } = await api(emulator, `/indexes/${indexId}/indexed-assets?page_limit=50`);
  return body.data;
}

/** A folder of two different videos, a copy of one, and a still. */
async function shoot(): Promise<string> {
  const folder = join(await tempDir(), 'Shoot 2026-10');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'take_1.mp4'));
  await randomFile(folder, 'take_2.mp4', 300 * 1024);
  await copyFile(fixture('video-h264.mp4'), join(folder, 'take_1 copy.mp4'));
  await copyFile(fixture('image.jpg'), join(folder, 'poster.jpg'));
  return folder;
}

const states = async (engine: { items(): Promise<{ name: string; index?: { state: IndexState } }[]> }) =>
  Object.fromEntries((await engine.items()).map((item) => [item.name, item.index?.state]));

describe('uploads into an index', () => {
  const emulator = useEmulator({ processingDelayMs: 20, indexingDelayMs: 60 });

  it('indexes each video exactly once, copies included, and says what a still is', async () => {
    const index = await createIndex(emulator.current, 'Shoot 2026-10');
    const { engine, journal } = closeAfter(
      await openEngine(emulator.current, await tempDir(), {}, { preflight: true }),
    );
    // Held before any index request goes, so what it will cost is seen first.
    emulator.current.setFaults({ indexes: { hold: 'POST /indexes/{id}/indexed-assets' } });
    engine.start();
    await engine.add(await filesUnder(await shoot()), { index: { id: index, name: 'Shoot 2026-10' } });
    await until(async () =>
      (await engine.items()).every((item) => item.status.kind === 'ready' || item.status.kind === 'duplicate'),
    );
    const [pending] = engine.totals().indexes;
    // Two different 5 s takes; the copy of one shares its job, so is not billed again.
    expect(pending).toMatchObject({ pending: 3, skipped: 1, seconds: expect.closeTo(10, 0) });
    expect(pendingCost(pending!)).toBe(
      '3 videos, 1 minute of video to index (TwelveLabs bills indexing by the minute)',
    );
    emulator.current.setFaults({});
    await engine.whenIdle();
    expect(await states(engine)).toEqual({
      'take_1.mp4': 'searchable',
      'take_2.mp4': 'searchable',
      'take_1 copy.mp4': 'searchable',
      'poster.jpg': 'skipped',
    });
    const jobs = await jobsOf(emulator.current, index);
    expect(jobs).toHaveLength(2);
    expect(jobs.every((job) => job.status === 'ready')).toBe(true);
    const poster = (await engine.items()).find((item) => item.name === 'poster.jpg')!;
    expect(poster.index?.message).toBe('only videos go into an index, and this is an image');
    // The copy points at the same job as its original.
    const listed = await engine.items();
    const [one, copy] = ['take_1.mp4', 'take_1 copy.mp4'].map((name) => listed.find((i) => i.name === name)!);
    expect(copy!.index?.jobId).toBe(one!.index?.jobId);
    expect(one!.index?.indexedAt).toEqual(expect.any(Number));
    // History says the same of the batch, after Clear finished too.
    const outcome = {
      name: 'Shoot 2026-10',
      searchable: 3,
      failed: 0,
      held: 0,
      skipped: 1,
      pending: 0,
      seconds: expect.closeTo(10, 0),
    };
    expect((await journal.batches())[0]?.indexes).toEqual([outcome]);
    expect(await engine.clearFinished()).toBe(4);
    expect((await journal.batches())[0]?.indexes).toEqual([outcome]);
  });

  it('takes a video too short for search, and says why indexing failed; Retry indexing asks again', async () => {
    const index = await createIndex(emulator.current, 'Short ones');
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), {}, { preflight: true }));
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('too-short.mp4')), {
      index: { id: index, name: 'Short ones' },
    });
    await engine.whenIdle();
    const item = (await engine.item(id!))!;
    expect(item.status.kind).toBe('ready');
    expect(item.index).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('2 seconds long; the shortest that can be used is 4 seconds'),
    });
    await engine.retryIndexing([id!]);
    await engine.whenIdle();
    // Asked again (a new job, as the failed one stays failed), and failed again for the same reason.
    expect((await engine.item(id!))!.index?.state).toBe('failed');
    expect(await jobsOf(emulator.current, index)).toHaveLength(2);
  });

  it('never asks twice when the answer to the request is lost', async () => {
    const index = await createIndex(emulator.current, 'Lost answers');
    emulator.current.setFaults({ indexes: { dropNext: 1 } });
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), {}, { preflight: true }));
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('video-h264.mp4')), {
      index: { id: index, name: 'Lost answers' },
    });
    await engine.whenIdle();
    emulator.current.setFaults({});
    expect((await engine.item(id!))!.index?.state).toBe('searchable');
    expect(await jobsOf(emulator.current, index)).toHaveLength(1);
  });

  it('never asks twice across a stop while the request was on its way, and finishes after the restart', async () => {
    const index = await createIndex(emulator.current, 'Restarts');
    const dataDir = await tempDir();
    const posts = async (): Promise<number> =>
      (await control(emulator.current, '/stats')).requests['POST /indexes/{id}/indexed-assets'] ?? 0;
    const before = await posts();
    emulator.current.setFaults({ indexes: { holdAnswer: 'POST /indexes/{id}/indexed-assets' } });
    const first = await openEngine(emulator.current, dataDir, {}, { preflight: true });
    first.engine.start();
    const {
      ids: [id],
    } = await first.engine.add(await filesUnder(fixture('video-h264.mp4')), {
      index: { id: index, name: 'Restarts' },
    });
    // Recorded as asked before it was sent; then the process stops with the request in the air.
    await until(async () => (await first.journal.item(id!))?.index?.state === 'requesting');
    await until(async () => (await posts()) === before + 1);
    await until(async () => (await jobsOf(emulator.current, index)).length === 1);
    await first.close();
    emulator.current.setFaults({});
    const second = closeAfter(await openEngine(emulator.current, dataDir, {}, { preflight: true }));
    second.engine.start();
    await second.engine.whenIdle();
    expect((await second.engine.item(id!))!.index?.state).toBe('searchable');
    expect(await jobsOf(emulator.current, index)).toHaveLength(1);
  });

  it('holds files whose index is not there, never failing them, and goes on when it answers again', async () => {
    const index = await createIndex(emulator.current, 'Comes back');
    emulator.current.setFaults({
      indexes: { refuseNext: { count: 2, route: 'POST /indexes/{id}/indexed-assets', status: 404 } },
    });
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), {}, { preflight: true }));
    const seen = new Set<IndexState>();
    engine.on('change', (change) => {
      for (const item of change.items) if (item.index) seen.add(item.index.state);
    });
    engine.start();
    const {
      ids: [id],
    } = await engine.add(await filesUnder(fixture('video-h264.mp4')), {
      index: { id: index, name: 'Comes back' },
    });
    await until(() => seen.has('held'));
    expect((await engine.item(id!))!.index?.message).toContain('the index Comes back is not there');
    // Held is not work the queue waits for by itself, but the index is looked at again each round.
    await until(async () => (await engine.item(id!))!.index?.state === 'searchable');
    expect(seen.has('failed')).toBe(false);
    expect(await jobsOf(emulator.current, index)).toHaveLength(1);
  });

  it('a rate limit on indexing holds no upload', async () => {
    const index = await createIndex(emulator.current, 'Slow index');
    emulator.current.setFaults({ indexes: { burst429: { count: 3, retryAfterSeconds: 1 } } });
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), {}, { preflight: true }));
    const gateStates = new Set<string>();
    engine.gate.on('change', (state) => gateStates.add(state.kind));
    engine.start();
    const { ids: first } = await engine.add(await filesUnder(fixture('video-h264.mp4')), {
      index: { id: index, name: 'Slow index' },
    });
    await until(async () => (await engine.item(first[0]!))?.status.kind === 'ready');
    // Meanwhile another batch, without an index, uploads at once.
    const {
      ids: [other],
    } = await engine.add(await filesUnder(fixture('audio.mp3')));
    await until(async () => (await engine.item(other!))?.status.kind === 'ready');
    expect((await engine.item(first[0]!))!.index?.state).not.toBe('searchable');
    await engine.whenIdle();
    expect((await engine.item(first[0]!))!.index?.state).toBe('searchable');
    expect(gateStates.has('rate-limited')).toBe(false);
    emulator.current.setFaults({});
  });
});
