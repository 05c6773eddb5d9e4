import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../electron/shared/result';
import {
  NO_TOTALS,
  type UploadItem,
  type UploadsChanged,
  type UploadStatus,
  type UploadTotals,
} from '../../../electron/shared/uploads';
import type { QueuePage, RowsQuery, ViewQuery } from '../../../electron/shared/queue-pages';
import { CONFIRMATION_MS, UploadsModel } from '../../../renderer/src/lib/uploads.svelte';
import { fakeBridge } from '../../helpers/fake-bridge';
import { uploadItem } from '../../helpers/upload-item';

const QUEUED: UploadStatus = { kind: 'queued' };
const FAILED: UploadStatus = { kind: 'failed', code: 'server_error', message: 'x', retryable: true };

/** The names of the rows the model has read, in list order (a row not read is `null`). */
const names = (model: UploadsModel, upTo = model.rows.length) =>
  Array.from({ length: upTo }, (_, at) => {
    const row = model.rows.at(at);
    return row === undefined ? null : row.kind === 'folder' ? row.folder : row.name;
  });

/** What the window's tests use of main's pages over a journal (`test/helpers/journal-queue.ts`). */
interface MainQueue {
  readonly pages: {
    page(query: ViewQuery, totals: UploadTotals): Promise<QueuePage>;
    rowIds(query: RowsQuery, from: number, to: number): Promise<string[]>;
  };
  apply(change: Pick<UploadsChanged, 'items' | 'removed'>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Main's pages over a real journal file. Node code, outside what the window's code may see (its
 * types have no Node): loaded by a path the type checker does not follow, and used through `MainQueue`.
 */
async function journalQueue(items: readonly UploadItem[]): Promise<MainQueue> {
  const helper = '../../helpers/journal-queue';
  const loaded = (await import(/* @vite-ignore */ helper)) as {
    journalQueue(items: readonly UploadItem[]): Promise<MainQueue>;
  };
  return loaded.journalQueue(items);
}

const queues: MainQueue[] = [];

/**
 * A model started over a bridge that answers pages as main does (`QueuePages` over a journal),
 * drawing rows 0 to 20; `change` moves the queue in "main" and tells the window, as the engine would.
 */
async function started(items: readonly UploadItem[], answers: Parameters<typeof fakeBridge>[0] = {}) {
  const queue = await journalQueue(items);
  queues.push(queue);
  const { pages } = queue;
  /** Reads asked for and not answered yet. */
  let out = 0;
  const answering =
    <A extends unknown[], T>(answer: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      out += 1;
      try {
        return await answer(...args);
      } finally {
        out -= 1;
      }
    };
  const bridge = fakeBridge({
    'uploads:view': answering(async (query) => ok(await pages.page(query, NO_TOTALS))),
    'uploads:row-ids': answering(async (query, from, to) => ok(await pages.rowIds(query, from, to))),
    ...answers,
  });
  const model = new UploadsModel(bridge.api);
  const stop = model.start();
  model.drawn(0, 20);
  await vi.waitUntil(
    () => model.rows.length === items.length && (items.length === 0 || model.rows.at(0) !== undefined),
  );
  const change = async (moved: Pick<UploadsChanged, 'items' | 'removed'>) => {
    await queue.apply(moved);
    bridge.emit('uploads:changed', { totals: NO_TOTALS });
  };
  /** Waits until no read is out (every read asked for has been answered, and none follows). */
  const settled = () =>
    vi.waitUntil(async () => {
      const asked = bridge.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return out === 0 && bridge.calls.length === asked;
    });
  return { bridge, model, stop, change, settled };
}

afterEach(async () => {
  for (const queue of queues.splice(0)) await queue.close();
  vi.useRealTimers();
  localStorage.clear();
});

describe("the Uploads screen's model over the bridge", () => {
  it('reads the rows in view again when main says the queue moved, and holds no more than those', async () => {
    const [a, b, c] = [uploadItem('a.mov', QUEUED), uploadItem('b.mov', QUEUED), uploadItem('c.mov', QUEUED)];
    const { bridge, model, change, settled } = await started([a!, b!, c!]);
    model.select([b!.id, c!.id]);

    const d = uploadItem('d.mov', QUEUED);
    await change({
      items: [{ ...b!, status: { kind: 'uploading', startedAt: 0 } as UploadStatus }, d],
      removed: [c!.id],
    });
    await vi.waitUntil(() => names(model).join() === 'a.mov,b.mov,d.mov');
    expect(model.byId(b!.id)?.status.kind).toBe('uploading');
    // A removed file leaves the selection, so no action reaches it.
    await settled();
    expect(model.count).toBe(1);
    expect(model.isPicked(b!.id)).toBe(true);
    expect(model.picked.picked).toEqual({ ids: [b!.id] });

    // "Upload next": a file moved to the front is listed first.
    await change({ items: [{ ...d, position: 0 }], removed: [] });
    await vi.waitUntil(() => names(model)[0] === 'd.mov');
    expect(names(model)).toEqual(['d.mov', 'a.mov', 'b.mov']);
    expect(new Set(bridge.asked())).toEqual(new Set(['uploads:view']));
  });

  it('holds only the rows drawn and a margin, and reads others as the list scrolls to them', async () => {
    const items = Array.from({ length: 5_000 }, (_, at) => uploadItem(`Card/${at}.jpg`, QUEUED));
    const { model, bridge } = await started(items);
    expect(model.rows.length).toBe(5_000);
    expect(names(model, 300).filter((name) => name !== null).length).toBeLessThanOrEqual(120);
    expect(model.rows.at(4_000)).toBeUndefined();
    model.drawn(4_000, 4_020);
    await vi.waitUntil(() => model.rows.at(4_000) !== undefined);
    expect(model.rows.at(4_010)).toMatchObject({ name: '4010.jpg' });
    expect(model.ahead[items[4_010]!.id]).toBe(4_010);
    // Every page asked for is a screen and its margins, never the list.
    for (const call of bridge.calls) expect((call.args[0] as { count: number }).count).toBeLessThanOrEqual(500);
  });

  it('reads a list that just got shorter where the list then draws it', async () => {
    const items = Array.from({ length: 3_000 }, (_, at) => uploadItem(`Card ${at % 30}/${at}.jpg`, QUEUED));
    const { model, settled } = await started(items);
    model.drawn(2_980, 3_000);
    await settled();
    // Searched from the end: the first read still has the old end as what is drawn.
    model.search = 'card 7/';
    await settled();
    expect(model.message).toBeNull();
    // The list draws the new end (`VirtualList` keeps first <= last as the list shrinks).
    model.drawn(82, 100);
    await settled();
    expect(model.message).toBeNull();
    expect(model.rows.length).toBe(100);
    expect(model.rows.at(99)).toMatchObject({ relativePath: 'Card 7/2977.jpg' });
  });

  it('keeps only the picked files a filter or a search still shows, select-all included', async () => {
    const [a, b] = [uploadItem('Day 1/a.mov', QUEUED), uploadItem('Day 2/b.mov', FAILED)];
    const { model, settled } = await started([a!, b!]);
    model.selectAll();
    await settled();
    expect(model.count).toBe(2);
    expect(model.allPicked).toBe(true);
    model.filter = 'attention';
    await settled();
    expect(model.count).toBe(1);
    expect(model.isPicked(b!.id)).toBe(true);
    // Going back to the wider view does not bring back what the narrower one left out.
    model.filter = 'all';
    await settled();
    expect(model.count).toBe(1);
    expect(model.isPicked(a!.id)).toBe(false);
    model.search = 'day 1';
    await settled();
    expect(model.count).toBe(0);

    model.search = '';
    model.select([a!.id, b!.id]);
    model.filter = 'attention';
    await settled();
    expect(model.picked.picked).toEqual({ ids: [b!.id] });
  });

  it('selects all as a query: files never read are picked, and one unpicked by hand stays out', async () => {
    const items = Array.from({ length: 2_000 }, (_, at) => uploadItem(`Card/${at}.jpg`, at % 2 ? QUEUED : FAILED));
    const { model, settled } = await started(items);
    model.selectAll();
    await settled();
    expect(model.count).toBe(2_000);
    expect(model.pickedCan['upload-next']).toBe(1_000);
    model.toggle(items[3]!.id);
    await settled();
    expect(model.count).toBe(1_999);
    expect(model.isPicked(items[3]!.id)).toBe(false);
    expect(model.picked.picked).toEqual({ all: [expect.objectContaining({ filter: 'all' })], except: [items[3]!.id] });
  });

  it('picks a Shift range across rows not read yet', async () => {
    const items = Array.from({ length: 3_000 }, (_, at) => uploadItem(`Card/${at}.jpg`, QUEUED));
    const { model, settled } = await started(items);
    await model.addRange(10, 2_500);
    await settled();
    expect(model.count).toBe(2_491);
  });

  it("selects a folder's files with its heading, and the heading itself is never a selection", async () => {
    const items = [uploadItem('Day 1/a.mov', QUEUED), uploadItem('Day 1/b.mov', QUEUED), uploadItem('c.mov', QUEUED)];
    const { model, settled } = await started(items);
    model.grouped = true;
    await vi.waitUntil(() => model.rows.at(0)?.kind === 'folder');
    const rows = Array.from({ length: model.rows.length }, (_, at) => model.rows.at(at)!);
    const heading = rows.find((row) => row.kind === 'folder' && row.ids.length === 2)!;
    model.toggle(heading.id);
    await settled();
    expect(model.count).toBe(2);
    expect(heading.kind === 'folder' && model.pickedIn(heading)).toBe(2);
    model.toggle(heading.id);
    await settled();
    expect(model.count).toBe(0);
    model.select([heading.id, items[2]!.id]);
    expect(model.picked.picked).toEqual({ ids: [items[2]!.id] });
  });

  it('says what an add queued and skipped, keeps which were skipped, and lets the words go after a while', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { model } = await started([], {
      'uploads:pick-files': async () =>
        ok({ queued: 2, skipped: 1, skippedFiles: [{ path: '/card/.DS_Store', reason: 'junk' }] }),
    });
    await model.addFiles();
    expect(model.message).toMatch(/2/);
    expect(model.skipped).toEqual({ count: 1, files: [{ path: '/card/.DS_Store', reason: 'junk' }] });
    vi.advanceTimersByTime(CONFIRMATION_MS);
    expect(model.message).toBeNull();
  });

  it('offers Undo after Clear finished only while main still keeps the rows, and says what came back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { bridge, model } = await started([], {
      'uploads:clear-finished': async () => ok({ cleared: 3 }),
      'uploads:undo-clear': async () => ok({ restored: 3 }),
    });
    await model.clearFinished();
    expect(model.undo).toEqual({ count: 3 });
    vi.advanceTimersByTime(8_000);
    expect(model.undo).toBeNull();

    await model.clearFinished();
    await model.undoClear();
    expect(model.undo).toBeNull();
    expect(model.message).toMatch(/3/);
    expect(bridge.asked().filter((channel) => channel === 'uploads:undo-clear')).toHaveLength(1);
  });

  it("shows main's words when it refuses an action, and clears them when the next one works", async () => {
    let refuse = true;
    const { model } = await started([], {
      'uploads:pause': async () => (refuse ? fail('unknown', 'Nothing here can be paused.') : ok(null)),
    });
    await model.pause('all');
    expect(model.message).toBe('Nothing here can be paused.');
    refuse = false;
    await model.pause('all');
    expect(model.message).toBeNull();
  });

  it('stops listening when stopped, and remembers the compact density for the next window', async () => {
    const { bridge, model, stop } = await started([]);
    expect(bridge.listening('uploads:changed')).toBe(1);
    stop();
    expect(bridge.listening('uploads:changed')).toBe(0);
    model.compact = true;
    expect(new UploadsModel(fakeBridge().api).compact).toBe(true);
  });
});
