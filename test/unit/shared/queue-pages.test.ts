import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, QueuePages, type Picked, type ViewQuery } from '../../../electron/shared/queue-pages';
import { NO_TOTALS, type UploadItem, type UploadStatus } from '../../../electron/shared/uploads';
import { listTally, WHOLE_QUEUE, type QueueRow } from '../../../electron/shared/queue-view';
import { commonFolder } from '../../../electron/shared/banner';
import { uploadItem } from '../../helpers/upload-item';

const QUEUED: UploadStatus = { kind: 'queued' };
const UPLOADING: UploadStatus = { kind: 'uploading' };
const FAILED: UploadStatus = { kind: 'failed', code: 'server_error', message: 'x', retryable: true };

const view = (more: Partial<ViewQuery> = {}): ViewQuery => ({ ...FIRST_PAGE, ...more });
const names = (rows: readonly QueueRow[]) => rows.map((row) => (row.kind === 'folder' ? `[${row.folder}]` : row.name));

/** 100 folders of `each` files, every fourth one failed. */
function card(each: number): UploadItem[] {
  return Array.from({ length: 100 * each }, (_, at) =>
    uploadItem(`Roll ${Math.floor(at / each)}/${at}.jpg`, at % 4 === 0 ? FAILED : QUEUED),
  );
}

describe('the queue a page at a time', () => {
  it('answers the rows asked for with the whole list’s numbers, never more than a page', () => {
    const items = card(50);
    const pages = new QueuePages(items);
    const page = pages.page(view({ from: 1_000, count: 30 }), NO_TOTALS);
    expect(page.rowCount).toBe(5_000);
    expect(page.rows).toHaveLength(30);
    expect(page.rows[0]).toBe(items[1_000]);
    expect(page.tally.counts).toMatchObject({ all: 5_000, attention: 1_250, waiting: 3_750 });
    // Queue order among the waiting: 1,000 rows before, a quarter of them failed.
    expect(page.ahead[items[1_001]!.id]).toBe(750);
    expect(pages.page(view({ from: 0, count: 100_000 }), NO_TOTALS).rows).toHaveLength(500);
    expect(pages.page(view({ from: 9_999 }), NO_TOTALS)).toMatchObject({ from: 5_000, rows: [] });
  });

  it('says how many files wait ahead of each waiting one, in queue order whatever the view', () => {
    const READY: UploadStatus = { kind: 'ready', assetId: 'a1' };
    const queue = [
      uploadItem('a.mov', QUEUED),
      uploadItem('b.mov', READY),
      uploadItem('c.mov', QUEUED),
      uploadItem('d.mov', QUEUED),
    ];
    const pages = new QueuePages(queue);
    const byName = pages.page(view({ sort: 'name' }), NO_TOTALS);
    expect(
      Object.entries(byName.ahead).map(([id, ahead]) => [queue.find((each) => each.id === id)!.name, ahead]),
    ).toEqual([
      ['a.mov', 0],
      ['c.mov', 1],
      ['d.mov', 2],
    ]);
    // Upload next: d goes first, the others wait one more.
    pages.apply({ items: [{ ...queue[3]!, position: -1 }], removed: [] });
    const after = pages.page(view(), NO_TOTALS).ahead;
    expect([after[queue[3]!.id], after[queue[0]!.id], after[queue[2]!.id]]).toEqual([0, 1, 2]);
  });

  it('keeps the numbers as items change as a count of the whole list would say them', () => {
    const kinds: UploadStatus[] = [
      QUEUED,
      UPLOADING,
      FAILED,
      { kind: 'paused' },
      { kind: 'checking' },
      { kind: 'cancelled' },
      { kind: 'file-missing' },
      { kind: 'ready', assetId: 'a' },
    ];
    const items = Array.from({ length: 300 }, (_, at) =>
      uploadItem(`Roll ${at % 7}/${at}.jpg`, QUEUED, at % 3 === 0 ? { watchFolder: `/watch/${at % 2}` } : {}),
    );
    const now = new Map(items.map((item) => [item.id, item]));
    const pages = new QueuePages(items);
    let seed = 7;
    const random = (below: number) => (seed = (seed * 48_271) % 2_147_483_647) % below;
    for (let round = 0; round < 40; round += 1) {
      const changed = Array.from({ length: 20 }, () => {
        const item = items[random(items.length)]!;
        const next = { ...(now.get(item.id) ?? item), status: kinds[random(kinds.length)]! };
        return next;
      }).filter((item) => now.has(item.id));
      const removed = round % 5 === 4 ? [items[random(items.length)]!.id].filter((id) => now.has(id)) : [];
      for (const item of changed) now.set(item.id, item);
      for (const id of removed) now.delete(id);
      pages.apply({ items: changed.filter((item) => !removed.includes(item.id)), removed });
      const page = pages.page(view(), NO_TOTALS);
      const whole = [...now.values()];
      expect(page.tally).toEqual(listTally(whole));
      expect(new Set(page.sources)).toEqual(new Set(whole.flatMap((item) => item.watchFolder ?? [])));
      expect(page.missingFolder).toBe(
        whole.some((item) => item.status.kind === 'file-missing')
          ? commonFolder(whole.filter((item) => item.status.kind === 'file-missing').map((item) => item.path))
          : null,
      );
    }
  });

  it('groups by folder with a heading per folder, and folds one to its heading', () => {
    const pages = new QueuePages(card(3));
    const grouped = pages.page(view({ grouped: true, count: 8 }), NO_TOTALS);
    expect(grouped.rowCount).toBe(400);
    expect(names(grouped.rows)).toEqual(['[Roll 0]', '0.jpg', '1.jpg', '2.jpg', '[Roll 1]', '3.jpg', '4.jpg', '5.jpg']);
    const folded = pages.page(view({ grouped: true, count: 3, collapsed: [grouped.rows[0]!.id] }), NO_TOTALS);
    expect(folded.rowCount).toBe(397);
    expect(names(folded.rows)).toEqual(['[Roll 0]', '[Roll 1]', '3.jpg']);
    // A range of rows names the files under the headings, not the headings.
    expect(pages.rowIds(view({ grouped: true }), 0, 4).length).toBe(3);
  });

  it('follows changes: a file moving group leaves a filtered view, its progress shows without a new view', () => {
    const items = card(2);
    const pages = new QueuePages(items);
    const waiting = view({ filter: 'waiting' });
    expect(pages.page(waiting, NO_TOTALS).shown).toBe(150);
    const first = items[1]!;
    pages.apply({ items: [{ ...first, status: UPLOADING }], removed: [] });
    const after = pages.page(waiting, NO_TOTALS);
    expect(after.shown).toBe(149);
    expect(after.tally.counts.uploading).toBe(1);
    pages.apply({ items: [{ ...first, status: UPLOADING, bytesSent: 40 }], removed: [] });
    expect(pages.page(view({ filter: 'uploading' }), NO_TOTALS).rows[0]).toMatchObject({ bytesSent: 40 });

    // Upload next puts a file first; a removed one is gone; a new one comes last.
    const last = items.at(-1)!;
    const added = uploadItem('Roll 9/new.jpg', QUEUED);
    pages.apply({ items: [{ ...last, position: -1 }, added], removed: [items[0]!.id] });
    const whole = pages.page(view({ count: 500 }), NO_TOTALS);
    expect(whole.rows[0]!.id).toBe(last.id);
    expect(whole.rows.at(-1)!.id).toBe(added.id);
    expect(whole.rowCount).toBe(200);
  });

  it('takes the picked files the view shows, in its order, select-all narrowed by each later view', () => {
    const items = card(10);
    const pages = new QueuePages(items);
    const all: Picked = { all: [WHOLE_QUEUE], except: [items[4]!.id] };
    expect(pages.picked({ picked: all, view: WHOLE_QUEUE })).toHaveLength(999);
    const failed = { ...WHOLE_QUEUE, filter: 'attention' as const };
    const narrowed: Picked = { all: [WHOLE_QUEUE, failed], except: [] };
    expect(pages.picked({ picked: narrowed, view: WHOLE_QUEUE })).toHaveLength(250);
    const byName = { ...WHOLE_QUEUE, sort: 'name' as const };
    const some = [items[20]!.id, items[3]!.id, items[100]!.id];
    expect(pages.picked({ picked: { ids: some }, view: byName })).toEqual([
      items[3]!.id,
      items[20]!.id,
      items[100]!.id,
    ]);

    const page = pages.page(view({ filter: 'attention', picked: { ids: some } }), NO_TOTALS);
    // Of those picked, the view of failed files shows two; the one it hides goes from the pick.
    expect(page.picked).toEqual({
      count: 2,
      can: { pause: 0, resume: 0, 'upload-next': 0 },
      kept: [items[20]!.id, items[100]!.id],
    });
    const grouped = pages.page(view({ grouped: true, count: 12, picked: all }), NO_TOTALS);
    expect(grouped.folderPicked[grouped.rows[0]!.id]).toBe(9);
    // The file unpicked by hand is the window's to take away: the page says what the queries take.
    expect(grouped.pickable).toHaveLength(10);
  });
});
