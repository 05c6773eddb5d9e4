import { copyFile, link, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runWork } from '../../../electron/core/queue/work';
import { Journal } from '../../../electron/core/upload/journal';
import { QueueTally } from '../../../electron/core/upload/queue-tally';
import type { UploadStatus } from '../../../electron/shared/uploads';
import { ADD_BATCH, addNamed } from '../../../electron/core/upload/add-named';
import { fixture, useEmulator } from '../../helpers/emulator';
import { filesUnder, openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

/** A folder of stills (hard links of one photo: the first uploads, the rest are copies of it), and a text file. */
async function stills(count: number): Promise<string> {
  const folder = join(await tempDir(), 'Archive');
  await mkdir(folder);
  await copyFile(fixture('image.jpg'), join(folder, 'still_0000.jpg'));
  for (let at = 1; at < count; at += 1) {
    await link(join(folder, 'still_0000.jpg'), join(folder, `still_${String(at).padStart(4, '0')}.jpg`));
  }
  await writeFile(join(folder, 'notes.mp4'), 'not a video');
  return folder;
}

describe('the queue in the journal: memory holds the files that move', () => {
  const emulator = useEmulator({ processingDelayMs: 10 });

  it('lets finished files go from memory, and reads them back for every question and action', async () => {
    const folder = await stills(40);
    const { engine, journal } = closeAfter(
      await openEngine(emulator.current, await tempDir(), {}, { preflight: true, holdFinished: 0, letGoMs: 20 }),
    );
    engine.start();
    const { ids } = await engine.add(await filesUnder(folder));
    expect(ids).toHaveLength(41);
    await engine.whenIdle();
    const totals = engine.totals().outcome;
    await until(() => ids.every((id) => engine.held(id) === undefined));
    // Nothing held, and every surface still says the same.
    expect(engine.totals().outcome).toEqual(totals);
    const items = await engine.items();
    expect(items.map((item) => item.status.kind).sort()).toEqual([
      ...Array<string>(39).fill('duplicate'),
      'ready',
      'rejected',
    ]);
    const notes = items.find((item) => item.name === 'notes.mp4')!;
    expect(await engine.item(notes.id)).toEqual(notes);
    expect((await engine.itemAt(notes.path))?.id).toBe(notes.id);
    // Added again: listed already, though not held.
    const again = await engine.add(await filesUnder(join(folder, 'still_0007.jpg')));
    expect(again.ids).toEqual([]);
    expect(again.alreadyListed.map((entry) => entry.path)).toEqual([join(folder, 'still_0007.jpg')]);
    // A file not held is found again by its content: already in the library, not sent twice.
    await copyFile(fixture('image.jpg'), join(folder, 'late.jpg'));
    const late = await engine.add(await filesUnder(join(folder, 'late.jpg')));
    await engine.whenIdle();
    expect((await engine.item(late.ids[0]!))?.status).toMatchObject({ kind: 'duplicate', assetId: expect.any(String) });
    // Actions on files not held: checked again, removed, cleared and undone.
    await engine.retry([notes.id]);
    await engine.whenIdle();
    expect((await engine.item(notes.id))?.status.kind).toBe('rejected');
    await until(() => engine.held(notes.id) === undefined);
    await engine.remove([notes.id]);
    expect(await engine.item(notes.id)).toBeUndefined();
    expect(await journal.item(notes.id)).toBeUndefined();
    expect(engine.totals().outcome.couldNot).toBe(0);
    await until(() => ids.every((id) => engine.held(id) === undefined));
    expect(await engine.clearFinished()).toBe(41);
    expect(await engine.items()).toEqual([]);
    expect(engine.totals().files).toBe(0);
    expect(await engine.undoClear()).toBe(41);
    expect(await engine.items()).toHaveLength(41);
    expect(engine.totals().outcome).toMatchObject({ total: 41, uploaded: 1, alreadyThere: 40 });
  });

  it('holds the finished files of a queue opened again only when something is done to them', async () => {
    const folder = await stills(12);
    const data = await tempDir();
    const first = await openEngine(emulator.current, data, {}, { preflight: true });
    first.engine.start();
    const { ids } = await first.engine.add(await filesUnder(folder));
    await first.engine.whenIdle();
    const outcome = first.engine.totals().outcome;
    await first.close();
    const { engine } = closeAfter(await openEngine(emulator.current, data, {}, { preflight: true }));
    expect(ids.every((id) => engine.held(id) === undefined)).toBe(true);
    expect(engine.totals().outcome).toEqual(outcome);
    expect(await engine.items()).toHaveLength(13);
    const notes = (await engine.items()).find((item) => item.name === 'notes.mp4')!;
    await engine.remove([notes.id]);
    expect(await engine.items()).toHaveLength(12);
    expect(engine.totals().outcome).toEqual({ ...outcome, total: 12, couldNot: 0 });
  });

  it('opens a queue again counting its settled files in SQL, to the same numbers as reading every row', async () => {
    const data = await tempDir();
    const first = await openEngine(emulator.current, data);
    const states: [UploadStatus, { index?: 'searchable' | 'failed' | 'waiting'; sent?: number }?][] = [
      [{ kind: 'ready', assetId: 'a1' }],
      [{ kind: 'ready', assetId: 'a2' }, { index: 'searchable' }],
      [{ kind: 'ready', assetId: 'a3' }, { index: 'failed' }],
      [{ kind: 'ready', assetId: 'a4' }, { index: 'waiting' }],
      [{ kind: 'duplicate', assetId: 'a1', of: 'clip-0.mov' }],
      [{ kind: 'duplicate', assetId: null, of: 'clip-9.mov' }],
      [{ kind: 'failed', code: 'x', message: 'No.', retryable: true }, { sent: 300 }],
      [{ kind: 'rejected', code: 'y', message: 'Not media.' }],
      [{ kind: 'cancelled' }],
      [{ kind: 'uploading' }, { sent: 400 }],
      [{ kind: 'queued' }],
      [{ kind: 'paused' }, { sent: 200 }],
      [{ kind: 'file-missing' }],
      [{ kind: 'processing', assetId: 'a5' }],
    ];
    const stored = await first.journal.addItems(
      states.map((_, at) => ({
        id: `clip-${at}`,
        batchId: 'b1',
        path: `/cards/clip-${at}.mov`,
        relativePath: `clip-${at}.mov`,
        size: 1000 * (at + 1),
        mtimeMs: 1,
        kind: 'video' as const,
        mime: 'video/quicktime',
        strategy: 'direct' as const,
        userMetadata: {},
        status: 'queued' as const,
      })),
      1,
    );
    for (const [at, [status, more]] of states.entries()) {
      const { id } = stored[at]!;
      await first.journal.setStatus(id, status, 2);
      if (more?.sent) await first.journal.setBytesSent(id, more.sent);
      if (more?.index) await first.journal.setIndex(id, { id: 'i1', name: 'Shoot', state: more.index });
    }
    await first.close();

    const counted = vi.spyOn(Journal.prototype, 'settledCounts');
    const pages = vi.spyOn(Journal.prototype, 'itemPages');
    const { engine, journal } = closeAfter(await openEngine(emulator.current, data));
    // The five finished rows outside any index were counted, not read.
    const settled = (await counted.mock.results[0]!.value) as { count: number }[];
    expect(settled.reduce((sum, row) => sum + row.count, 0)).toBe(5);
    expect(pages).toHaveBeenCalledWith(undefined, { unsettled: true });
    counted.mockRestore();
    pages.mockRestore();
    // Every row read and counted, as the open did before it counted settled rows in SQL.
    const everyRow = new QueueTally();
    for (const item of await journal.items()) everyRow.change(undefined, item);
    const totals = engine.totals();
    expect(totals.outcome).toEqual(everyRow.outcome());
    expect(totals.indexes).toEqual(everyRow.indexes());
    expect(totals.paused).toBe(everyRow.paused());
    const bytes = everyRow.bytes();
    expect([totals.files, totals.filesDone, totals.filesFailed, totals.bytes, totals.bytesDone]).toEqual([
      bytes.files,
      bytes.filesDone,
      bytes.filesFailed,
      bytes.bytes,
      bytes.bytesOfSent + bytes.bytesOnTheWay,
    ]);
    // Only the rows that move (and those in an index, or waiting on another copy) were held.
    const held = stored.filter((item) => engine.held(item.id) !== undefined).map((item) => item.id);
    expect(held).toEqual(['clip-3', 'clip-5', 'clip-9', 'clip-10', 'clip-11', 'clip-12', 'clip-13']);
  });

  it('takes a large folder in as the checks make room, so the files held stay bounded', async () => {
    const folder = await stills(900);
    const { engine } = closeAfter(
      await openEngine(
        emulator.current,
        await tempDir(),
        {},
        { preflight: true, holdFinished: 0, letGoMs: 20, checkAhead: 25 },
      ),
    );
    engine.start();
    let most = 0;
    engine.on('change', () => (most = Math.max(most, engine.heldCount)));
    const added = await addNamed(
      engine,
      { paths: [folder], links: [], template: [] },
      {
        onBatch: () => void (most = Math.max(most, engine.heldCount)),
      },
    );
    expect(added.queued).toBe(901);
    await engine.whenIdle();
    const kinds: Record<string, number> = {};
    for (const item of await engine.items()) kinds[item.status.kind] = (kinds[item.status.kind] ?? 0) + 1;
    expect(kinds).toEqual({ duplicate: 899, ready: 1, rejected: 1 });
    // The checks' look-ahead, a batch of the scan and the files finished since the last let-go
    // (up to 174 seen on a busy machine): bounded, whatever the folder's size.
    expect(most).toBeGreaterThan(25);
    expect(most).toBeLessThan(25 + ADD_BATCH + 250);
    await until(() => engine.heldCount === 0);
  });

  it('follows an add by its batch, and ends it with every file, read back from the journal', async () => {
    const folder = await stills(300);
    const { engine } = closeAfter(
      await openEngine(emulator.current, await tempDir(), {}, { preflight: true, holdFinished: 0, letGoMs: 20 }),
    );
    engine.start();
    let accepted = 0;
    const ended: string[] = [];
    const pages: boolean[] = [];
    const work = runWork(
      engine,
      engine.gate,
      { op: 'add', work: { paths: [folder], links: [], template: [] } },
      {},
      (message) => {
        if (message.type === 'accepted') accepted = message.count;
        if (message.type === 'done') {
          ended.push(...message.items.map((item) => item.status.kind));
          pages.push(message.more === true);
        }
      },
    );
    expect(await work.ended).toBe(true);
    expect(accepted).toBe(301);
    expect(ended.sort()).toEqual(['duplicate', ...Array<string>(298).fill('duplicate'), 'ready', 'rejected'].sort());
    expect(pages.at(-1)).toBe(false);
  });
});
