import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../electron/shared/result';
import { NO_TOTALS, type UploadItem, type UploadStatus } from '../../../electron/shared/uploads';
import { CONFIRMATION_MS, UploadsModel } from '../../../renderer/src/lib/uploads.svelte';
import { fakeBridge } from '../../helpers/fake-bridge';
import { uploadItem } from '../../helpers/upload-item';

const QUEUED: UploadStatus = { kind: 'queued' };
const FAILED: UploadStatus = { kind: 'failed', code: 'server_error', message: 'x', retryable: true };
const names = (model: UploadsModel) => model.items.map((item) => item.name);

/** A model started over a bridge whose `uploads:list` answers with these rows. */
async function started(items: readonly UploadItem[], answers: Parameters<typeof fakeBridge>[0] = {}) {
  const bridge = fakeBridge({ 'uploads:list': async () => ok({ items: [...items], totals: NO_TOTALS }), ...answers });
  const model = new UploadsModel(bridge.api);
  const stop = model.start();
  await vi.waitUntil(() => model.items.length === items.length);
  return { bridge, model, stop };
}

afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

describe("the Uploads screen's model over the bridge", () => {
  it('reads the queue once, then only applies the rows main says changed', async () => {
    const [a, b, c] = [uploadItem('a.mov', QUEUED), uploadItem('b.mov', QUEUED), uploadItem('c.mov', QUEUED)];
    const { bridge, model } = await started([a!, b!, c!]);
    model.select([b!.id, c!.id]);

    const d = uploadItem('d.mov', QUEUED);
    bridge.emit('uploads:changed', {
      items: [{ ...b!, status: { kind: 'uploading', startedAt: 0 } as UploadStatus }, d],
      removed: [c!.id],
      totals: NO_TOTALS,
    });
    expect(names(model)).toEqual(['a.mov', 'b.mov', 'd.mov']);
    expect(model.byId(b!.id)?.status.kind).toBe('uploading');
    expect(model.byId(d.id)?.name).toBe('d.mov');
    // A removed file leaves the selection, so no action reaches it.
    expect([...model.selected]).toEqual([b!.id]);

    // "Upload next": a file moved to the front is listed first.
    bridge.emit('uploads:changed', { items: [{ ...d, position: 0 }], removed: [], totals: NO_TOTALS });
    expect(names(model)).toEqual(['d.mov', 'a.mov', 'b.mov']);
    expect(model.byId(a!.id)?.name).toBe('a.mov');
    expect(bridge.asked()).toEqual(['uploads:list']);
  });

  it('keeps only the selected files a filter or a search still shows', async () => {
    const [a, b] = [uploadItem('Day 1/a.mov', QUEUED), uploadItem('Day 2/b.mov', FAILED)];
    const { model } = await started([a!, b!]);
    model.selectAll();
    expect(model.selected.size).toBe(2);
    model.filter = 'attention';
    expect([...model.selected]).toEqual([b!.id]);
    model.filter = 'all';
    model.search = 'day 1';
    expect(model.selected.size).toBe(0);
  });

  it("selects a folder's files with its heading, and the heading itself is never a selection", async () => {
    const items = [uploadItem('Day 1/a.mov', QUEUED), uploadItem('Day 1/b.mov', QUEUED), uploadItem('c.mov', QUEUED)];
    const { model } = await started(items);
    model.grouped = true;
    const heading = model.rows.find((row) => row.kind === 'folder' && row.ids.length === 2)!;
    model.toggle(heading.id);
    expect([...model.selected].sort()).toEqual([items[0]!.id, items[1]!.id].sort());
    model.toggle(heading.id);
    expect(model.selected.size).toBe(0);
    model.select([heading.id, items[2]!.id]);
    expect([...model.selected]).toEqual([items[2]!.id]);
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
