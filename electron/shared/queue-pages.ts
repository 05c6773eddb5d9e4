import type { AttentionGroup } from './attention';
import { NO_TOTALS, type UploadTotals } from './uploads';
import { type BatchEnding, type ListTally, type QueueQuery, type QueueRow, WHOLE_QUEUE } from './queue-view';

/**
 * The queue as the window reads it, a window of rows at a time: main answers from the journal
 * (`core/upload/queue-pages.ts`) and the window holds only the rows it draws, so a queue of any
 * length costs the window, and main, the same.
 */

/** Rows one page may ask for: a tall screen's rows and a margin either side. */
export const PAGE_ROWS_MAX = 500;

/** The rows a query lists: its files, and with folders on, a heading before each folder's. */
export interface RowsQuery extends QueueQuery {
  readonly grouped: boolean;
  /** Folder headings folded shut (their ids). */
  readonly collapsed: readonly string[];
}

/** What the window asks to see: the rows of a query it draws, and what it has picked. */
export interface ViewQuery extends RowsQuery {
  /** The first row wanted and how many. */
  readonly from: number;
  readonly count: number;
  /** What the window has picked, so the page can say which of its rows are. */
  readonly picked: Picked;
}

/** The first page of the whole queue in queue order. */
export const FIRST_PAGE: ViewQuery = {
  ...WHOLE_QUEUE,
  grouped: false,
  collapsed: [],
  from: 0,
  count: PAGE_ROWS_MAX,
  picked: { ids: [] },
};

/** The rows asked for, with the numbers that speak of the whole list. */
export interface QueuePage {
  readonly from: number;
  readonly rows: readonly QueueRow[];
  /** Rows the query gives, folder headings included: the scroll's length. */
  readonly rowCount: number;
  /** Files the query shows. */
  readonly shown: number;
  /** For each waiting file among `rows`, how many wait ahead of it in the queue. */
  readonly ahead: Readonly<Record<string, number>>;
  /** The filter chips' numbers and what the whole queue's actions take. */
  readonly tally: ListTally;
  /** The watched folders the listed files came from, for the "From" filter. */
  readonly sources: readonly string[];
  /** The folder every file waiting for its drive is in, for the banner; null when none wait or they differ. */
  readonly missingFolder: string | null;
  /** The newest file's place, for the template's preview; null for an empty list. */
  readonly newest: string | null;
  /** The batch as it ended, once nothing is left to happen by itself; null while it runs. */
  readonly ending: BatchEnding | null;
  /** Needs attention by reason, when the query shows only files needing it; else empty. */
  readonly attention: readonly AttentionGroup[];
  readonly totals: UploadTotals;
  /** The picked files this view shows: how many, and what the bulk actions would take. */
  readonly picked: PickedSummary;
  /**
   * The rows among `rows` the picked queries (or ids) take, before the files unpicked by hand:
   * the window takes those away itself, so a click shows at once.
   */
  readonly pickable: readonly string[];
  /** How many of each folder heading's files among `rows` are picked. */
  readonly folderPicked: Readonly<Record<string, number>>;
}

/**
 * Files the window picked: some by id, or every file a row of queries all show but a few. A
 * search or filter applied after select-all narrows it (the queries pile up), so going back to
 * the wider view does not bring back files the narrower one left out.
 */
export type Picked =
  { readonly ids: readonly string[] } | { readonly all: readonly QueueQuery[]; readonly except: readonly string[] };

/**
 * What a bulk action takes: the picked files the list shows now (`view`), in its order, so an
 * action never reaches a file the search or a filter hides.
 */
export interface PickedInView {
  readonly picked: Picked;
  readonly view: QueueQuery;
}

/** What the picked files in view are, for the bulk bar's count and the actions it offers. */
export interface PickedSummary {
  readonly count: number;
  /** How many of them each action would take. */
  readonly can: Readonly<Record<'pause' | 'resume' | 'upload-next', number>>;
  /** The picked ids the view still shows, when it no longer shows them all; null otherwise. */
  readonly kept: readonly string[] | null;
}

/** An empty list's page: what the window shows before main first answers. */
export const EMPTY_PAGE: QueuePage = {
  from: 0,
  rows: [],
  rowCount: 0,
  shown: 0,
  ahead: {},
  tally: {
    counts: { all: 0, uploading: 0, processing: 0, waiting: 0, attention: 0, done: 0 },
    checking: 0,
    copying: null,
    pausable: 0,
    resumable: 0,
    retryable: 0,
  },
  sources: [],
  missingFolder: null,
  newest: null,
  ending: null,
  attention: [],
  totals: NO_TOTALS,
  picked: { count: 0, can: { pause: 0, resume: 0, 'upload-next': 0 }, kept: null },
  pickable: [],
  folderPicked: {},
};
