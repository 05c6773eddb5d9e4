import { afterEach, describe, expect, it, vi } from 'vitest';
import { commonFolder } from '../../../electron/shared/banner';
import { batchOutcome } from '../../../electron/shared/batch';
import { FIRST_PAGE, PAGE_ROWS_MAX, type Picked, type ViewQuery } from '../../../electron/shared/queue-pages';
import { WHOLE_QUEUE, type FolderRow, type QueueQuery, type QueueRow } from '../../../electron/shared/queue-view';
import { can, retriedWithAll } from '../../../electron/shared/upload-status';
import {
  NO_TOTALS,
  rowGroup,
  type UploadItem,
  type UploadStatus,
  type UploadTotals,
} from '../../../electron/shared/uploads';
import { journalQueue } from '../../helpers/journal-queue';
import { uploadItem } from '../../helpers/upload-item';

const QUEUED: UploadStatus = { kind: 'queued' };
const UPLOADING: UploadStatus = { kind: 'uploading' };
const READY: UploadStatus = { kind: 'ready', assetId: 'a1' };
const FAILED: UploadStatus = { kind: 'failed', code: 'server_error', message: 'x', retryable: true };

/** The most places of waiting files a page reads to say how many wait ahead of those in view. */
const AHEAD_READ = PAGE_ROWS_MAX * 2 + 1;

const view = (more: Partial<ViewQuery> = {}): ViewQuery => ({ ...FIRST_PAGE, ...more });
const names = (rows: readonly QueueRow[]) => rows.map((row) => (row.kind === 'folder' ? `[${row.folder}]` : row.name));

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const queue of opened.splice(0)) await queue.close();
});

async function queueOf(items: readonly UploadItem[], ...more: [stale?: () => void, staleMs?: number]) {
  const queue = await journalQueue(items, ...more);
  opened.push(queue);
  return queue;
}

/** 100 folders of `each` files, every fourth one failed. */
async function cardQueue(each: number) {
  const items = Array.from({ length: 100 * each }, (_, at) =>
    uploadItem(`Roll ${Math.floor(at / each)}/${at}.jpg`, at % 4 === 0 ? FAILED : QUEUED),
  );
  return { ...(await queueOf(items)), items };
}

const totalsOf = (items: readonly UploadItem[]): UploadTotals => ({
  ...NO_TOTALS,
  outcome: batchOutcome(items.map((item) => item.status)),
});

describe('the queue a page at a time, read from the journal', () => {
  it('answers the rows asked for with the whole list’s numbers, never more than a page', async () => {
    const { pages, items } = await cardQueue(50);
    const page = await pages.page(view({ from: 1_000, count: 30 }), NO_TOTALS);
    expect(page.rowCount).toBe(5_000);
    expect(page.rows).toHaveLength(30);
    expect(page.rows[0]!.id).toBe(items[1_000]!.id);
    expect(page.tally.counts).toMatchObject({ all: 5_000, attention: 1_250, waiting: 3_750 });
    // Queue order among the waiting: 1,000 rows before, a quarter of them failed.
    expect(page.ahead[items[1_001]!.id]).toBe(750);
    expect((await pages.page(view({ from: 0, count: 100_000 }), NO_TOTALS)).rows).toHaveLength(500);
    expect(await pages.page(view({ from: 9_999 }), NO_TOTALS)).toMatchObject({ from: 5_000, rows: [] });
  });

  it('reads a page’s rows from the journal, never the queue, whatever the view', async () => {
    const { pages, journal } = await cardQueue(100);
    const read = vi.spyOn(journal, 'read');
    const rowsRead = async (query: Partial<ViewQuery>) => {
      read.mockClear();
      await pages.page(view({ from: 2_000, count: 100, ...query }), NO_TOTALS);
      const results = await Promise.all(read.mock.results.map((result) => result.value as Promise<unknown[]>));
      return results.reduce((sum, rows) => sum + rows.length, 0);
    };
    // The rows, the numbers (a row per state), the places of the waiting files about those in
    // view (at most AHEAD_READ, to count how many wait ahead of each): not the 10,000.
    for (const query of [
      {},
      { sort: 'name' as const },
      { filter: 'waiting' as const },
      { search: 'roll 4' },
      { picked: { all: [WHOLE_QUEUE], except: [] } },
    ])
      expect(await rowsRead(query)).toBeLessThan(100 + AHEAD_READ + 50);
    // By folder: a row per folder, and each heading drawn names its folder's 100 files too.
    expect(await rowsRead({ grouped: true })).toBeLessThan(100 + AHEAD_READ + 50 + 100 + 2 * 100);
  });

  it('says how many files wait ahead of each waiting one, in queue order whatever the view', async () => {
    const queue = [
      uploadItem('a.mov', QUEUED),
      uploadItem('b.mov', READY),
      uploadItem('c.mov', QUEUED),
      uploadItem('d.mov', QUEUED),
    ];
    const { pages, journal } = await queueOf(queue);
    const byName = await pages.page(view({ sort: 'name' }), NO_TOTALS);
    expect(
      Object.entries(byName.ahead).map(([id, ahead]) => [queue.find((each) => each.id === id)!.name, ahead]),
    ).toEqual([
      ['a.mov', 0],
      ['c.mov', 1],
      ['d.mov', 2],
    ]);
    // Upload next: d goes first, the others wait one more.
    await journal.moveToTop([queue[3]!.id]);
    const after = (await pages.page(view(), NO_TOTALS)).ahead;
    expect([after[queue[3]!.id], after[queue[0]!.id], after[queue[2]!.id]]).toEqual([0, 1, 2]);
  });

  it('narrows by group, by watched folder and by text in the name or folder, in any case or composition', async () => {
    const queue = [
      uploadItem('Day 2/clip 10.mov', QUEUED, { size: 300 }),
      uploadItem('Day 2/clip 2.mov', READY, { size: 100 }),
      uploadItem('Überblick.mov', FAILED, { size: 300, watchFolder: '/Ingest' }),
      uploadItem('Day 1/clip 1.mov', UPLOADING, { size: 200 }),
      uploadItem('Day 1/50%_off.mov', QUEUED, { size: 50 }),
    ];
    const { pages } = await queueOf(queue);
    const shown = async (query: Partial<QueueQuery>) =>
      names((await pages.page(view({ ...query, count: 50 }), NO_TOTALS)).rows);
    expect(await shown({})).toEqual(['clip 10.mov', 'clip 2.mov', 'Überblick.mov', 'clip 1.mov', '50%_off.mov']);
    expect(await shown({ filter: 'attention' })).toEqual(['Überblick.mov']);
    expect(await shown({ source: '/Ingest' })).toEqual(['Überblick.mov']);
    expect(await shown({ search: ' day 2 ' })).toEqual(['clip 10.mov', 'clip 2.mov']);
    // Typed decomposed (as macOS keyboards and file names may give it), found composed.
    expect(await shown({ search: 'U\u0308BER' })).toEqual(['Überblick.mov']);
    // The search is text, never a pattern.
    expect(await shown({ search: '%_' })).toEqual(['50%_off.mov']);
    expect(await shown({ filter: 'done', search: 'day 1' })).toEqual([]);
    // Sorted by name as people count, by size largest first, or by state; ties in queue order.
    expect(await shown({ sort: 'name' })).toEqual([
      '50%_off.mov',
      'clip 1.mov',
      'clip 2.mov',
      'clip 10.mov',
      'Überblick.mov',
    ]);
    expect(await shown({ sort: 'size' })).toEqual([
      'clip 10.mov',
      'Überblick.mov',
      'clip 1.mov',
      'clip 2.mov',
      '50%_off.mov',
    ]);
    expect(await shown({ sort: 'state' })).toEqual([
      'Überblick.mov',
      'clip 1.mov',
      'clip 10.mov',
      '50%_off.mov',
      'clip 2.mov',
    ]);
    expect((await pages.page(view({ search: 'day' }), NO_TOTALS)).shown).toBe(4);
  });

  it('counts every chip and what each whole-queue action takes as the rules say, whatever the states', async () => {
    const kinds: UploadStatus[] = [
      QUEUED,
      UPLOADING,
      FAILED,
      { ...FAILED, retryable: false },
      { kind: 'paused' },
      { kind: 'checking' },
      { kind: 'copying' },
      { kind: 'cancelled' },
      { kind: 'file-missing' },
      { kind: 'rejected', code: 'too_short', message: 'x' },
      { kind: 'duplicate', assetId: null, of: 'a.mov' },
      { kind: 'processing', assetId: 'p' },
      READY,
    ];
    const items = Array.from({ length: 120 }, (_, at) =>
      uploadItem(`Roll ${at % 7}/${at}.jpg`, kinds[(at * 7) % kinds.length]!, {
        ...(at % 3 === 0 && { watchFolder: `/watch/${at % 2}` }),
        path: `/cards/${at % 5 === 0 ? 'A' : 'B'}/Roll ${at % 7}/${at}.jpg`,
      }),
    );
    const { pages, journal } = await queueOf(items);
    // Three files indexed after upload: searchable, failed to index, and still indexing.
    const ready = items.filter((item) => item.status.kind === 'ready').slice(0, 3);
    const states = ['searchable', 'failed', 'indexing'] as const;
    const withIndex = ready.map((item, at) => ({ ...item, index: { id: 'ix', name: 'Ix', state: states[at]! } }));
    for (const item of withIndex) await journal.setIndex(item.id, item.index);
    const whole = items.map((item) => withIndex.find((each) => each.id === item.id) ?? item);

    const page = await pages.page(view(), NO_TOTALS);
    const counts = { all: whole.length, uploading: 0, processing: 0, waiting: 0, attention: 0, done: 0 };
    for (const item of whole) counts[rowGroup(item)] += 1;
    expect(page.tally.counts).toEqual(counts);
    expect(page.tally.checking).toBe(whole.filter((item) => item.status.kind === 'checking').length);
    expect(page.tally.copying?.count).toBe(whole.filter((item) => item.status.kind === 'copying').length);
    expect([page.tally.pausable, page.tally.resumable, page.tally.retryable]).toEqual([
      whole.filter((item) => can(item.status, 'pause')).length,
      whole.filter((item) => can(item.status, 'resume')).length,
      whole.filter((item) => retriedWithAll(item.status)).length,
    ]);
    for (const filter of ['uploading', 'processing', 'waiting', 'attention', 'done'] as const)
      expect((await pages.page(view({ filter }), NO_TOTALS)).shown).toBe(counts[filter]);
    expect(new Set(page.sources)).toEqual(new Set(['/watch/0', '/watch/1']));
    const missing = whole.filter((item) => item.status.kind === 'file-missing').map((item) => item.path);
    expect(page.missingFolder).toBe(commonFolder(missing));
    expect(page.newest).toBe(whole.at(-1)!.relativePath);
    // Select all with one file unpicked: the whole list's numbers less that file's.
    const unpicked = whole.find((item) => can(item.status, 'pause'))!;
    const all = await pages.summary({ picked: { all: [WHOLE_QUEUE], except: [unpicked.id] }, view: WHOLE_QUEUE });
    const rest = whole.filter((item) => item !== unpicked);
    const taking = (action: 'pause' | 'resume' | 'upload-next') =>
      rest.filter((item) => can(item.status, action)).length;
    expect(all).toEqual({
      count: rest.length,
      can: { pause: taking('pause'), resume: taking('resume'), 'upload-next': taking('upload-next') },
      kept: null,
    });
    // The same numbers from the general path (a search every file matches).
    const everyJpg = { ...WHOLE_QUEUE, search: '.jpg' };
    expect(await pages.summary({ picked: { all: [everyJpg], except: [unpicked.id] }, view: everyJpg })).toEqual(all);
  });

  it('groups by folder with a heading per folder in the order folders first come, and folds one', async () => {
    const { pages } = await cardQueue(3);
    const grouped = await pages.page(view({ grouped: true, count: 8 }), NO_TOTALS);
    expect(grouped.rowCount).toBe(400);
    expect(names(grouped.rows)).toEqual(['[Roll 0]', '0.jpg', '1.jpg', '2.jpg', '[Roll 1]', '3.jpg', '4.jpg', '5.jpg']);
    const folded = await pages.page(view({ grouped: true, count: 3, collapsed: [grouped.rows[0]!.id] }), NO_TOTALS);
    expect(folded.rowCount).toBe(397);
    expect(names(folded.rows)).toEqual(['[Roll 0]', '[Roll 1]', '3.jpg']);
    expect(folded.rows[0]).toMatchObject({ collapsed: true, ids: (grouped.rows[0] as FolderRow).ids });
    // A page that starts inside a folder: its files from there, the next heading after.
    expect(names((await pages.page(view({ grouped: true, from: 2, count: 4 }), NO_TOTALS)).rows)).toEqual([
      '1.jpg',
      '2.jpg',
      '[Roll 1]',
      '3.jpg',
    ]);
    // A range of rows names the files under the headings, not the headings.
    expect(await pages.rowIds(view({ grouped: true }), 0, 4)).toHaveLength(3);
    expect(await pages.rowIds(view({ grouped: true }), 6, 2)).toHaveLength(4);
  });

  it('keeps a folder written with either separator as one, and a watched folder’s files apart', async () => {
    const queue = [
      uploadItem('A001/one.mov', READY),
      uploadItem('two.mov', QUEUED),
      uploadItem('A001\\three.mov', FAILED),
      uploadItem('A001/four.mov', QUEUED),
      uploadItem('A001/five.mov', QUEUED, { watchFolder: '/Ingest' }),
    ];
    const { pages } = await queueOf(queue);
    const { rows } = await pages.page(view({ grouped: true }), NO_TOTALS);
    const headings = rows.filter((row): row is FolderRow => row.kind === 'folder');
    expect(headings.map((row) => [row.folder, row.watchFolder, row.ids.length])).toEqual([
      ['A001', null, 3],
      ['', null, 1],
      ['A001', '/Ingest', 1],
    ]);
    expect(headings[0]!.counts).toEqual({ uploading: 0, processing: 0, waiting: 1, attention: 1, done: 1 });
    expect(names(rows)).toEqual(['[A001]', 'one.mov', 'three.mov', 'four.mov', '[]', 'two.mov', '[A001]', 'five.mov']);
  });

  it('reads what changed: a file moving group leaves a filtered view, its progress shows as the engine holds it', async () => {
    const { pages, journal, held, items, apply } = await cardQueue(2);
    const waiting = view({ filter: 'waiting' });
    expect((await pages.page(waiting, NO_TOTALS)).shown).toBe(150);
    const first = items[1]!;
    await journal.setStatus(first.id, UPLOADING, 1);
    const after = await pages.page(waiting, NO_TOTALS);
    expect(after.shown).toBe(149);
    expect(after.tally.counts.uploading).toBe(1);
    held.set(first.id, { ...first, status: UPLOADING, bytesSent: 40 });
    expect((await pages.page(view({ filter: 'uploading' }), NO_TOTALS)).rows[0]).toMatchObject({ bytesSent: 40 });

    // Upload next puts a file first; a removed one is gone; a new one comes last.
    const last = items.at(-1)!;
    await journal.moveToTop([last.id]);
    await journal.removeItems([items[0]!.id], 1);
    const added = uploadItem('Roll 9/new.jpg', QUEUED);
    await apply({ items: [added], removed: [] });
    const whole = await pages.page(view({ count: 500 }), NO_TOTALS);
    expect(whole.rows[0]!.id).toBe(last.id);
    expect(whole.rows.at(-1)!.id).toBe(added.id);
    expect(whole.rowCount).toBe(200);
  });

  it('leaves out the files cleared for Undo, handed to the journal once, and counts them again when they come back', async () => {
    const { pages, cleared, journal, items } = await cardQueue(20);
    const failed = items.filter((item) => item.status.kind === 'failed');
    const read = vi.spyOn(journal, 'read');
    const handed = vi.spyOn(journal, 'setCleared');
    cleared.ids = new Set(failed.map((item) => item.id));
    const page = await pages.page(view({ count: 10 }), NO_TOTALS);
    expect(page.rows.map((row) => row.id)).toEqual(
      items
        .filter((item) => item.status.kind !== 'failed')
        .map((item) => item.id)
        .slice(0, 10),
    );
    expect(page.tally.counts).toMatchObject({ all: 1_500, attention: 0 });
    expect((await pages.page(view({ filter: 'attention' }), NO_TOTALS)).shown).toBe(0);
    expect(await pages.picked({ picked: { all: [WHOLE_QUEUE], except: [] }, view: WHOLE_QUEUE })).toHaveLength(1_500);
    // The 500 ids went to the journal once, not with every read.
    expect(handed).toHaveBeenCalledTimes(1);
    for (const [, params] of read.mock.calls) expect(JSON.stringify(params ?? []).length).toBeLessThan(1_000);
    cleared.ids = null;
    expect((await pages.page(view(), NO_TOTALS)).tally.counts).toMatchObject({ all: 2_000, attention: 500 });
  });

  it('tells a batch’s ending only once nothing is left to happen: what went in and how long it took', async () => {
    const going = [uploadItem('a.mov', READY, { addedAt: 1_000, updatedAt: 5_000 }), uploadItem('b.mov', QUEUED)];
    expect((await (await queueOf(going)).pages.page(view(), totalsOf(going))).ending).toBeNull();
    const ended = [
      uploadItem('a.mov', READY, { size: 700, addedAt: 1_000, updatedAt: 5_000 }),
      uploadItem('b.mov', FAILED, { size: 300, addedAt: 2_000, updatedAt: 9_000 }),
    ];
    expect((await (await queueOf(ended)).pages.page(view(), totalsOf(ended))).ending).toMatchObject({
      bytes: 700,
      seconds: 8,
      key: '2:9000',
    });
    expect((await (await queueOf([])).pages.page(view(), NO_TOTALS)).ending).toBeNull();
  });

  it('groups what needs attention by reason, each group with one action', async () => {
    const queue = [
      uploadItem('a.mov', FAILED),
      uploadItem('b.mov', FAILED),
      uploadItem('c.mov', { kind: 'file-missing' }),
      uploadItem('d.mov', { kind: 'file-missing' }),
      uploadItem('e.mov', { kind: 'rejected', code: 'too_short', message: 'Too short.' }),
    ];
    const { pages } = await queueOf(queue);
    const page = await pages.page(view({ filter: 'attention' }), NO_TOTALS);
    expect(page.attention.map((group) => [group.ids.length, group.action.id])).toEqual([
      [2, 'retry'],
      [2, 'remove'],
    ]);
    expect((await pages.page(view(), NO_TOTALS)).attention).toEqual([]);
  });

  it('takes the picked files the view shows, in its order, select-all narrowed by each later view', async () => {
    const { pages, items } = await cardQueue(10);
    const all: Picked = { all: [WHOLE_QUEUE], except: [items[4]!.id] };
    expect(await pages.picked({ picked: all, view: WHOLE_QUEUE })).toHaveLength(999);
    const failed = { ...WHOLE_QUEUE, filter: 'attention' as const };
    const narrowed: Picked = { all: [WHOLE_QUEUE, failed], except: [] };
    expect(await pages.picked({ picked: narrowed, view: WHOLE_QUEUE })).toHaveLength(250);
    const byName = { ...WHOLE_QUEUE, sort: 'name' as const };
    const some = [items[20]!.id, items[3]!.id, items[100]!.id];
    expect(await pages.picked({ picked: { ids: some }, view: byName })).toEqual([
      items[3]!.id,
      items[20]!.id,
      items[100]!.id,
    ]);

    const page = await pages.page(view({ filter: 'attention', picked: { ids: some } }), NO_TOTALS);
    // Of those picked, the view of failed files shows two; the one it hides goes from the pick.
    expect(page.picked).toEqual({
      count: 2,
      can: { pause: 0, resume: 0, 'upload-next': 0 },
      kept: [items[20]!.id, items[100]!.id],
    });
    const grouped = await pages.page(view({ grouped: true, count: 12, picked: all }), NO_TOTALS);
    expect(grouped.folderPicked[grouped.rows[0]!.id]).toBe(9);
    // The file unpicked by hand is the window's to take away: the page says what the queries take.
    expect(grouped.pickable).toHaveLength(10);
  });

  it('tells the window to read again when the journal is written after its last page', async () => {
    let told = 0;
    const { pages, apply } = await queueOf([], () => (told += 1), 20);
    const pause = () => new Promise((resolve) => setTimeout(resolve, 60));
    await apply({ items: [uploadItem('a.mov', QUEUED)], removed: [] });
    await pause();
    // Nothing read yet: nothing to tell.
    expect(told).toBe(0);
    await pages.page(view(), NO_TOTALS);
    await apply({ items: [uploadItem('b.mov', QUEUED)], removed: [] });
    await apply({ items: [uploadItem('c.mov', QUEUED)], removed: [] });
    await pause();
    expect(told).toBe(1);
    await pages.page(view(), NO_TOTALS);
    await pause();
    expect(told).toBe(1);
  });
});
