import type { BatchOutcome } from './batch';
import { foldForSearch } from './library-search';
import type { CopyingTally } from './upload-copy';
import type { UploadGroup, UploadItem } from './uploads';

/**
 * The queue as the Uploads screen asks for it: which files a search and filters show, in which
 * order, grouped by folder or not, and the numbers of the filter chips. Main answers these from
 * the journal (`core/upload/queue-pages.ts`).
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

/** The state sort's order: what needs the person first, then what moves, then what waits, then what is done. */
export const GROUP_ORDER: Readonly<Record<UploadGroup, number>> = {
  attention: 0,
  uploading: 1,
  processing: 2,
  waiting: 3,
  done: 4,
};

/** Whether `query` shows every file (in some order). */
export function showsAll(query: QueueQuery): boolean {
  return query.filter === 'all' && query.source === null && foldForSearch(query.search.trim()) === '';
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

/** A folder heading's id: its files' watched folder ('' for none) and folder, which no file's id can be. */
export function folderId(watchFolder: string | null, folder: string): string {
  return `${FOLDER_ROW}${watchFolder ?? ''}\u0000${folder}`;
}

/** Whether a row's id is a folder heading's, which stands for no file. */
export function isFolderId(id: string): boolean {
  return id.startsWith(FOLDER_ROW);
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

/** A finished batch, as its summary card shows it. */
export interface BatchEnding {
  readonly outcome: BatchOutcome;
  readonly bytes: number;
  readonly seconds: number;
  /** Changes with each batch, so a summary dismissed stays dismissed until the next one. */
  readonly key: string;
}
