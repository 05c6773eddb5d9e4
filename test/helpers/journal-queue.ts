import { join } from 'node:path';
import { Journal, type NewItem } from '../../electron/core/upload/journal';
import { QueuePages } from '../../electron/core/upload/queue-pages';
import type { UploadItem, UploadsChanged } from '../../electron/shared/uploads';
import { tempDir } from './temp-dir';

function newItem(item: UploadItem): NewItem {
  return {
    id: item.id,
    batchId: item.batchId,
    path: item.path,
    relativePath: item.relativePath,
    size: item.size,
    mtimeMs: 1,
    kind: item.kind,
    mime: 'video/mp4',
    strategy: item.strategy,
    userMetadata: {},
    status: 'queued',
    ...(item.watchFolder !== undefined && { watchFolder: item.watchFolder }),
  };
}

/**
 * These files written into a new journal as they stand (state, size, folders, when added and last
 * changed), in the order given, with the window's pages over it. `held` stands for the engine's
 * newer copies of some (their progress), `cleared` for the files cleared for Undo; `apply` writes
 * an engine's change as the engine would (a state, Upload next, a file added or removed).
 */
export async function journalQueue(items: readonly UploadItem[], stale?: () => void, staleMs?: number) {
  const journal = await Journal.open(join(await tempDir(), 'journal.db'));
  const known = new Map<string, UploadItem>();
  // Files added the same moment in one write, as an add of a folder does.
  const write = async (adding: readonly UploadItem[]) => {
    for (let at = 0; at < adding.length;) {
      const { addedAt } = adding[at]!;
      let end = at;
      while (end < adding.length && adding[end]!.addedAt === addedAt) end += 1;
      await journal.addItems(adding.slice(at, end).map(newItem), addedAt);
      at = end;
    }
    // Files in the same state at the same moment in one write.
    const moves = new Map<string, { item: UploadItem; ids: string[] }>();
    for (const item of adding) {
      known.set(item.id, item);
      if (item.status.kind === 'queued') continue;
      const key = JSON.stringify([item.status, item.updatedAt]);
      const move = moves.get(key) ?? { item, ids: [] };
      move.ids.push(item.id);
      moves.set(key, move);
    }
    for (const { item, ids } of moves.values()) await journal.setStatuses(ids, item.status, item.updatedAt);
  };
  await write(items);
  const held = new Map<string, UploadItem>();
  const cleared: { ids: ReadonlySet<string> | null } = { ids: null };
  const pages = new QueuePages(
    journal,
    { view: (item) => held.get(item.id) ?? item, cleared: () => cleared.ids },
    stale,
    staleMs,
  );
  return {
    journal,
    pages,
    held,
    cleared,
    async apply(change: Pick<UploadsChanged, 'items' | 'removed'>): Promise<void> {
      const fresh = change.items.filter((item) => !known.has(item.id));
      await write(fresh);
      for (const item of change.items) {
        const before = known.get(item.id)!;
        if (fresh.includes(item)) continue;
        if (item.position < before.position) await journal.moveToTop([item.id]);
        if (JSON.stringify(item.status) !== JSON.stringify(before.status))
          await journal.setStatus(item.id, item.status, item.updatedAt);
        known.set(item.id, item);
      }
      await journal.removeItems(change.removed, 0);
      for (const id of change.removed) known.delete(id);
    },
    async close(): Promise<void> {
      pages.close();
      await journal.close();
    },
  };
}
