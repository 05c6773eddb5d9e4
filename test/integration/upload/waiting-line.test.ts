import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UploadEngine } from '../../../electron/core/upload/engine';
import { api, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';
import { distinctPhotos } from '../../helpers/photos';
import type { RunningEmulator } from '../../emulator/server';
import type { Schedule } from '../../../electron/shared/schedule';

/** A folder of `count` photos, each its own content, named `<prefix>_000.jpg` on. */
function photos(count: number, prefix: string): Promise<string> {
  return distinctPhotos('Shoot', count, (at) => `${prefix}_${String(at).padStart(3, '0')}.jpg`);
}

/** Every asset's file name, in the order the server made them. */
async function madeInOrder(emulator: RunningEmulator): Promise<string[]> {
  const names: string[] = [];
  for (let page = 1; ; page += 1) {
    const { body } = await api(emulator, `/assets?page=${page}&page_limit=50`);
    names.push(...(body.data as { filename: string }[]).map((asset) => asset.filename));
    if (page >= body.page_info.total_page) return names.reverse();
  }
}

/** How many assets the server has made (one read: pages shift while uploads land). */
async function madeCount(emulator: RunningEmulator): Promise<number> {
  const { body } = await api(emulator, '/assets?page_limit=1');
  return body.page_info.total_results as number;
}

/** The files the engine's line holds: every listed one waiting its turn or paused, less those on the shelf. */
function heldWaiting(engine: UploadEngine): number {
  return engine.countIn(['queued', 'paused']) - engine.shelved();
}

const HOLD = { preflight: true, holdQueued: 5, letGoMs: 10 } as const;
/** Uploads wait for the night: the line fills and nothing is sent. */
const NIGHTS_ONLY: Schedule = { window: { from: '19:00', to: '07:00' }, bandwidth: [] };
const NOON = new Date(2026, 11, 2, 12, 0).getTime();

/** An engine at noon that sends nothing: every file of `folder` checked and waiting its turn. */
async function waitingAtNoon(emulator: RunningEmulator, folder: string) {
  const dataDir = await tempDir();
  const first = await openEngine(
    emulator,
    dataDir,
    { filesInFlight: 1, schedule: NIGHTS_ONLY },
    { ...HOLD, now: () => NOON },
  );
  first.engine.start();
  const { ids } = await first.engine.add(await filesUnder(folder));
  await until(() => first.engine.countIn(['queued']) === ids.length);
  return { first, dataDir };
}

describe('the waiting line in the journal: memory holds its front', () => {
  // Each upload takes a moment, so the line is long while it is worked.
  const emulator = useEmulator({ processingDelayMs: 10, linkBytesPerSecond: 200_000 });

  it('shelves the files past the front, reads them back in queue order, and uploads each once', async () => {
    const folder = await photos(30, 'a');
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), { filesInFlight: 1 }, HOLD));
    engine.start();
    const { ids } = await engine.add(await filesUnder(folder));
    expect(ids).toHaveLength(30);
    // Once every file is checked, memory holds the line's front and the journal the rest.
    await until(() => engine.countIn(['checking']) === 0 && heldWaiting(engine) <= 5);
    expect(engine.shelved()).toBeGreaterThan(10);
    // The journal lists the shelved files as memory would; the numbers count them.
    expect(engine.countIn(['queued'])).toBeGreaterThan(10);
    expect((await engine.items()).filter((item) => item.status.kind === 'queued').length).toBe(
      engine.countIn(['queued']),
    );
    await engine.whenIdle();
    expect(engine.shelved()).toBe(0);
    expect(engine.totals().outcome).toMatchObject({ total: 30, uploaded: 30 });
    // Queue order from where the line was long (the first few race their checks).
    const made = await madeInOrder(emulator.current);
    expect(made.slice(8)).toEqual([...made.slice(8)].sort());
    expect(new Set(made).size).toBe(30);
  });

  it('is idle only once the shelf is empty too', async () => {
    const { first, dataDir } = await waitingAtNoon(emulator.current, await photos(20, 'b'));
    await first.close();
    // Opened again: the journal's rows come in queue order, and those past the front stay on the shelf.
    const { engine } = closeAfter(await openEngine(emulator.current, dataDir, { filesInFlight: 1 }, HOLD));
    expect(engine.shelved()).toBe(15);
    expect(heldWaiting(engine)).toBe(5);
    let idleEarly = false;
    engine.on('idle', () => (idleEarly ||= engine.countIn(['queued']) > 0));
    engine.start();
    await engine.whenIdle();
    expect(idleEarly).toBe(false);
    expect(engine.totals().outcome).toMatchObject({ total: 20, uploaded: 20 });
    const made = (await madeInOrder(emulator.current)).filter((name) => name.startsWith('b_'));
    expect(made).toEqual([...made].sort());
    expect(new Set(made).size).toBe(20);
    expect(made).toHaveLength(20);
  });

  it('acts on shelved files: upload next, remove, pause and resume all, and finds their twins', async () => {
    const folder = await photos(24, 'c');
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir(), { filesInFlight: 1 }, HOLD));
    engine.start();
    const { ids } = await engine.add(await filesUnder(folder));
    // The last file, on the shelf, goes next; another leaves the list without being sent.
    const last = ids.at(-1)!;
    const removed = ids.at(-2)!;
    await until(() => engine.held(last) === undefined && engine.held(removed) === undefined);
    expect(engine.shelved()).toBeGreaterThan(12);
    await engine.moveToTop([last]);
    // At the front, held: it goes before every file it waited behind.
    expect(engine.held(last)?.status.kind).toBe('queued');
    await engine.remove([removed]);
    expect(await engine.item(removed)).toBeUndefined();
    // A new copy of a shelved file's content waits for that file's asset: it is not sent itself.
    const shelvedName = 'c_021.jpg';
    await copyFile(join(folder, shelvedName), join(folder, 'twin.jpg'));
    const twin = await engine.add(await filesUnder(join(folder, 'twin.jpg')));
    await until(async () => (await engine.item(twin.ids[0]!))?.status.kind === 'duplicate');
    // Pause all takes the shelf too: nothing more starts until Resume all.
    await engine.pause('all');
    expect(engine.shelved()).toBe(0);
    const paused = engine.countIn(['paused']);
    expect(paused).toBeGreaterThan(12);
    expect(engine.countIn(['queued'])).toBe(0);
    // What was on the wire as it paused may still land; nothing starts after.
    expect(engine.countIn(['uploading'])).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const whilePaused = await madeCount(emulator.current);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(engine.countIn(['uploading'])).toBe(0);
    expect(await madeCount(emulator.current)).toBe(whilePaused);
    await engine.resume('all');
    await engine.whenIdle();
    const made = (await madeInOrder(emulator.current)).filter((name) => name.startsWith('c_') || name === 'twin.jpg');
    // More than 12 were shelved, from the line's end: c_015 was on the shelf.
    expect(made.indexOf('c_023.jpg')).toBeLessThan(made.indexOf('c_015.jpg'));
    expect(made).not.toContain('c_022.jpg');
    expect(made).not.toContain('twin.jpg');
    expect(new Set(made).size).toBe(23);
    expect(made).toHaveLength(23);
    expect(engine.totals().outcome).toMatchObject({ total: 24, uploaded: 23, alreadyThere: 1 });
    expect(await engine.item(twin.ids[0]!)).toMatchObject({
      status: { kind: 'duplicate', assetId: expect.any(String) },
    });
  });

  it('lets a paused line wait in the journal too, finds a twin there, and sends each file once', async () => {
    const folder = await photos(16, 'd');
    const { first, dataDir } = await waitingAtNoon(emulator.current, folder);
    await first.engine.pause('all');
    // Past the front, paused files leave memory as waiting ones do, and stay counted.
    await until(() => first.engine.heldCount === 5);
    expect(first.engine.shelved()).toBe(11);
    expect(first.engine.countIn(['paused'])).toBe(16);
    // A copy of a paused file on the shelf waits for it: it is not sent on its own.
    await copyFile(join(folder, 'd_014.jpg'), join(folder, 'twin.jpg'));
    const twin = await first.engine.add(await filesUnder(join(folder, 'twin.jpg')));
    await until(async () => (await first.engine.item(twin.ids[0]!))?.status.kind === 'duplicate');
    await first.close();
    // Opened again, the paused line holds its front only.
    const { engine } = closeAfter(await openEngine(emulator.current, dataDir, { filesInFlight: 1 }, HOLD));
    expect(engine.heldCount).toBeLessThanOrEqual(6);
    expect(engine.countIn(['paused'])).toBe(16);
    engine.start();
    await engine.resume('all');
    await engine.whenIdle();
    const made = (await madeInOrder(emulator.current)).filter((name) => name.startsWith('d_') || name === 'twin.jpg');
    expect(made).toEqual([...made].sort());
    expect(made).toHaveLength(16);
    expect(engine.totals().outcome).toMatchObject({ total: 17, uploaded: 16, alreadyThere: 1 });
  });
});
