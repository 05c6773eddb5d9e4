import type { BatchOutcome } from './batch';
import { foldForSearch } from './library-search';
import { folderOf } from './paths';
import { copySecondsLeft, type CopyingTally } from './upload-copy';
import { rowGroup, type UploadGroup, type UploadItem } from './uploads';
import { can, retriedWithAll } from './upload-status';

/**
 * The queue as the Uploads screen lists it: which files a search and filters show, in which order,
 * grouped by folder or not, and the numbers of the filter chips. Pure functions of the items, so
 * they are tested alone and can run wherever the items are.
 */

export type Filter = 'all' | UploadGroup;

/** How the queue can be listed: in queue order, or by name, size (largest first) or state. */
export type QueueSort = 'added' | 'name' | 'size' | 'state';

/** What the person asked to see. */
export interface QueueQuery {
  readonly filter: Filter;
  /** Only the files from this watched folder (its path), or from anywhere (null). */
  readonly source: string | null;
  /** Text the name or folder holds, in any case and composition. */
  readonly search: string;
  readonly sort: QueueSort;
}

export const WHOLE_QUEUE: QueueQuery = { filter: 'all', source: null, search: '', sort: 'added' };

const GROUP_ORDER: Readonly<Record<UploadGroup, number>> = {
  attention: 0,
  uploading: 1,
  processing: 2,
  waiting: 3,
  done: 4,
};

const SORTS: Readonly<Record<Exclude<QueueSort, 'added'>, (a: UploadItem, b: UploadItem) => number>> = {
  name: (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }),
  size: (a, b) => b.size - a.size,
  // What needs the person first, then what moves, then what waits, then what is done.
  state: (a, b) => GROUP_ORDER[rowGroup(a)] - GROUP_ORDER[rowGroup(b)],
};

/**
 * The files `query` shows, in its order. The whole queue unchanged when nothing narrows it; a
 * sorted view is a copy, the queue is not reordered (sorts are stable: ties keep queue order).
 */
export function shownItems(items: readonly UploadItem[], query: QueueQuery): readonly UploadItem[] {
  const shows = matches(query);
  const shown = shows === ALL ? items : items.filter(shows);
  return query.sort === 'added' ? shown : [...shown].sort(SORTS[query.sort]);
}

const ALL = (): boolean => true;

/** Whether `query` shows every file (in some order). */
export function showsAll(query: QueueQuery): boolean {
  return query.filter === 'all' && query.source === null && foldForSearch(query.search.trim()) === '';
}

/** Whether `query`'s search and filters show an item (its sort aside); one test per item, no list. */
export function matches(query: QueueQuery): (item: UploadItem) => boolean {
  const search = foldForSearch(query.search.trim());
  if (showsAll(query)) return ALL;
  return (item) =>
    (query.filter === 'all' || rowGroup(item) === query.filter) &&
    (query.source === null || item.watchFolder === query.source) &&
    // Name and folder: the relative path holds both.
    (search === '' || foldForSearch(item.relativePath).includes(search));
}

/** A folder's heading when the queue is grouped by folder: its files' numbers, and whether it is folded. */
export interface FolderRow {
  readonly kind: 'folder';
  /** Unique among rows: `folder:` and the group's key. */
  readonly id: string;
  /** The folder as the files were added (relative), or '' for files added on their own. */
  readonly folder: string;
  /** The watched folder the files came from, if they did. */
  readonly watchFolder: string | null;
  readonly ids: readonly string[];
  readonly counts: Readonly<Record<UploadGroup, number>>;
  readonly collapsed: boolean;
}

/** What the queue's list draws: files, and with grouping on, a heading before each folder's. */
export type QueueRow = UploadItem | FolderRow;

const FOLDER_ROW = 'folder:';

/** Whether a row's id is a folder heading's, which stands for no file. */
export function isFolderId(id: string): boolean {
  return id.startsWith(FOLDER_ROW);
}

/**
 * The rows grouped by folder: each folder's files under a heading with its numbers, in the order
 * the folders first appear; a folded folder (its heading's id in `collapsed`) shows only its heading.
 */
export function folderRows(shown: readonly UploadItem[], collapsed: ReadonlySet<string>): QueueRow[] {
  const groups = new Map<string, { watchFolder: string | null; folder: string; items: UploadItem[] }>();
  for (const item of shown) {
    const folder = folderOf(item.relativePath);
    const key = `${item.watchFolder ?? ''}\u0000${folder}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { watchFolder: item.watchFolder ?? null, folder, items: [] }));
    group.items.push(item);
  }
  const rows: QueueRow[] = [];
  for (const [key, group] of groups) {
    const counts: Record<UploadGroup, number> = { uploading: 0, processing: 0, waiting: 0, attention: 0, done: 0 };
    for (const item of group.items) counts[rowGroup(item)] += 1;
    const id = FOLDER_ROW + key;
    const folded = collapsed.has(id);
    rows.push({
      kind: 'folder',
      id,
      folder: group.folder,
      watchFolder: group.watchFolder,
      ids: group.items.map((item) => item.id),
      counts,
      collapsed: folded,
    });
    if (!folded) rows.push(...group.items);
  }
  return rows;
}

/**
 * The filter chips' numbers, the files still being checked, the copies to make, and what the
 * whole queue's actions would take, in one pass.
 */
export interface ListTally {
  readonly counts: Readonly<Record<Filter, number>>;
  readonly checking: number;
  readonly copying: CopyingTally | null;
  /** Files "Pause all" stops, "Resume all" sends on and "Retry failed" tries again (the table's rules). */
  readonly pausable: number;
  readonly resumable: number;
  readonly retryable: number;
}

export function listTally(items: readonly UploadItem[]): ListTally {
  const counter = new ListCounter();
  for (const item of items) counter.add(item, 1);
  return counter.tally();
}

/**
 * `ListTally` kept as items come, change and go: each adds its share when it comes and takes it
 * back when it changes or leaves, so the numbers cost the same for ten files and a million.
 */
export class ListCounter {
  readonly #counts: Record<Filter, number> = { all: 0, uploading: 0, processing: 0, waiting: 0, attention: 0, done: 0 };
  #checking = 0;
  #pausable = 0;
  #resumable = 0;
  #retryable = 0;
  #next = 0;
  readonly #copying = new Map<string, UploadItem>();

  /** Adds (`sign` 1) or takes back (-1) one item's share. */
  add(item: UploadItem, sign: 1 | -1): void {
    this.#counts.all += sign;
    this.#counts[rowGroup(item)] += sign;
    if (item.status.kind === 'checking') this.#checking += sign;
    if (item.status.kind === 'copying') {
      if (sign > 0) this.#copying.set(item.id, item);
      else this.#copying.delete(item.id);
    }
    if (can(item.status, 'pause')) this.#pausable += sign;
    if (can(item.status, 'resume')) this.#resumable += sign;
    if (retriedWithAll(item.status)) this.#retryable += sign;
    if (can(item.status, 'upload-next')) this.#next += sign;
  }

  /** How many items each bulk action would take, of them all. */
  get can(): Readonly<Record<'pause' | 'resume' | 'upload-next', number>> {
    return { pause: this.#pausable, resume: this.#resumable, 'upload-next': this.#next };
  }

  /** The numbers now; each file being copied as `view` gives it (how far its copy is). */
  tally(view: (item: UploadItem) => UploadItem = (item) => item): ListTally {
    return {
      counts: { ...this.#counts },
      checking: this.#checking,
      copying: copyingOf(Array.from(this.#copying.values(), view)),
      pausable: this.#pausable,
      resumable: this.#resumable,
      retryable: this.#retryable,
    };
  }
}

function copyingOf(items: readonly UploadItem[]): CopyingTally | null {
  if (items.length === 0) return null;
  const making = items.find((item) => item.copyProgress !== undefined);
  return { count: items.length, progress: making?.copyProgress ?? null, secondsLeft: copySecondsLeft(items) };
}

/** A finished batch, as its summary card shows it. */
export interface BatchEnding {
  readonly outcome: BatchOutcome;
  readonly bytes: number;
  readonly seconds: number;
  /** Changes with each batch, so a summary dismissed stays dismissed until the next one. */
  readonly key: string;
}

/**
 * The batch as it ended: its outcome, the bytes that went in, and how long it took from the first
 * file added to the last one settled. Null while anything is still to happen, or for an empty list.
 */
export function batchEnding(items: readonly UploadItem[], outcome: BatchOutcome): BatchEnding | null {
  if (outcome.toGo > 0 || outcome.total === 0) return null;
  let bytes = 0;
  let first = Infinity;
  let last = 0;
  for (const item of items) {
    if (item.status.kind === 'ready') bytes += item.size;
    first = Math.min(first, item.addedAt);
    last = Math.max(last, item.updatedAt);
  }
  return { outcome, bytes, seconds: Math.max(0, (last - first) / 1000), key: `${outcome.total}:${last}` };
}
