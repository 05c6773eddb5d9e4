import { attentionGroups, type AttentionGroup } from './attention';
import { commonFolder } from './banner';
import { can } from './upload-status';
import { NO_TOTALS, rowGroup, type UploadItem, type UploadsChanged, type UploadTotals } from './uploads';
import {
  batchEnding,
  folderRows,
  ListCounter,
  matches,
  shownItems,
  showsAll,
  type BatchEnding,
  type ListTally,
  type QueueQuery,
  type QueueRow,
  WHOLE_QUEUE,
} from './queue-view';

/**
 * The queue as the window reads it, a window of rows at a time: the list is kept where the items
 * are (main) and the window holds only the rows it draws, so a queue of any length costs the
 * window the same. Pure, so the window's tests answer with the same code main runs.
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

const SUMMED: readonly ('pause' | 'resume' | 'upload-next')[] = ['pause', 'resume', 'upload-next'];

/** What of an item places it in a view: a change to any of these may move it, or out. */
function placeOf(item: UploadItem): string {
  return `${item.position}\u0000${rowGroup(item)}\u0000${item.status.kind}\u0000${item.size}\u0000${item.relativePath}`;
}

/**
 * The queue kept in queue order and patched from the engine's changes, answering the window's
 * pages. What a view shows is worked out once per query and kept until an item moves place or
 * group (a file's progress does not); the numbers are kept as items change, so a page costs its
 * rows (and, with something picked, one pass over the view), not a count of the whole queue.
 */
export class QueuePages {
  readonly #view: (item: UploadItem) => UploadItem;
  #items: UploadItem[] = [];
  #at = new Map<string, number>();
  /** Bumped when an item comes, goes, or moves place or group: what views show may differ. */
  #placed = 0;
  /** Bumped with every change: what is read from every item (the ending, the attention groups) may differ. */
  #changes = 0;
  #whole: {
    changes: number;
    toGo: number;
    ending: BatchEnding | null;
    attention: readonly AttentionGroup[] | null;
  } | null = null;
  #counter = new ListCounter();
  /** Files per watched folder they came from. */
  #sources = new Map<string, number>();
  /** Files waiting for their drive, by id: their paths. */
  #missing = new Map<string, string>();
  #shown: { key: string; placed: number; items: readonly UploadItem[] } | null = null;
  #rows: { key: string; placed: number; rows: readonly QueueRow[] } | null = null;
  /** The places of the waiting files, in queue order: how many wait ahead of one is a search. */
  #waiting: { placed: number; positions: Float64Array } | null = null;

  /**
   * `items` may be the holder's own objects, kept by reference (never copied): `view` gives each
   * row as the window is to see it (main passes the engine's live view: bytes sent, no internals).
   */
  constructor(items: readonly UploadItem[] = [], view: (item: UploadItem) => UploadItem = (item) => item) {
    this.#view = view;
    this.#reset(items);
  }

  /** Starts from the whole queue (`items` in any order). */
  #reset(items: readonly UploadItem[]): void {
    this.#items = [...items];
    // The engine gives its queue in order already; a sort is only for what is not.
    if (this.#items.some((item, at) => at > 0 && this.#items[at - 1]!.position > item.position))
      this.#items.sort((a, b) => a.position - b.position);
    this.#reindex();
    this.#counter = new ListCounter();
    this.#sources = new Map();
    this.#missing = new Map();
    for (const item of this.#items) this.#count(item, 1);
    this.#placed += 1;
    this.#changes += 1;
  }

  #item(id: string): UploadItem | undefined {
    const at = this.#at.get(id);
    return at === undefined ? undefined : this.#items[at];
  }

  /** Applies what changed: rows patched where they stand, new ones after, removed ones gone. */
  apply(change: Pick<UploadsChanged, 'items' | 'removed'>): void {
    this.#changes += 1;
    let moved = false;
    for (const item of change.items) {
      const at = this.#at.get(item.id);
      if (at === undefined) {
        this.#at.set(item.id, this.#items.length);
        moved ||= (this.#items.at(-1)?.position ?? -Infinity) > item.position;
        this.#items.push(item);
        this.#placed += 1;
      } else {
        const before = this.#items[at]!;
        if (before === item) continue;
        this.#count(before, -1);
        if (placeOf(before) !== placeOf(item)) this.#placed += 1;
        moved ||= before.position !== item.position;
        this.#items[at] = item;
      }
      this.#count(item, 1);
    }
    // Upload next moved files to the front: the list keeps queue order.
    if (moved) this.#items.sort((a, b) => a.position - b.position);
    if (change.removed.length > 0) {
      const gone = new Set(change.removed);
      for (const id of gone) {
        const item = this.#item(id);
        if (item) this.#count(item, -1);
      }
      this.#items = this.#items.filter((item) => !gone.has(item.id));
      this.#placed += 1;
    }
    if (moved || change.removed.length > 0) this.#reindex();
  }

  /** The files of rows `from` to `to` (both included, either way round); headings stand for none. */
  rowIds(query: RowsQuery, from: number, to: number): string[] {
    const shown = this.#shownItems(query);
    const rows = query.grouped ? this.#groupedRows(query, shown) : shown;
    return rows
      .slice(Math.min(from, to), Math.max(from, to) + 1)
      .flatMap((row) => (row.kind === 'folder' ? [] : [row.id]));
  }

  /** The rows `query` asks for, with the whole list's numbers. */
  page(query: ViewQuery, totals: UploadTotals): QueuePage {
    const shown = this.#shownItems(query);
    const rows = query.grouped ? this.#groupedRows(query, shown) : shown;
    const from = Math.max(0, Math.min(query.from, rows.length));
    const end = Math.min(rows.length, from + Math.min(query.count, PAGE_ROWS_MAX));
    const slice: QueueRow[] = [];
    // A heading is kept as worked out; a file is read as it is now (its progress moves).
    for (let at = from; at < end; at += 1) {
      const row = rows[at]!;
      slice.push(row.kind === 'folder' ? row : this.#view(this.#item(row.id)!));
    }
    const ahead: Record<string, number> = {};
    for (const row of slice)
      if (row.kind !== 'folder' && row.status.kind === 'queued') ahead[row.id] = this.#ahead(row);
    const takes = this.#takes(query.picked);
    const isPicked = this.#isPicked(query.picked);
    const folderPicked: Record<string, number> = {};
    for (const row of slice)
      if (row.kind === 'folder') folderPicked[row.id] = row.ids.reduce((n, id) => n + (isPicked(id) ? 1 : 0), 0);
    return {
      from,
      rows: slice,
      rowCount: rows.length,
      shown: shown.length,
      ahead,
      tally: this.#counter.tally(this.#view),
      sources: [...this.#sources.keys()],
      missingFolder: this.#missing.size > 0 ? commonFolder([...this.#missing.values()]) : null,
      newest: this.#items.at(-1)?.relativePath ?? null,
      ending: this.#wholeList(totals).ending,
      attention: query.filter === 'attention' ? this.#attention(totals) : [],
      totals,
      picked: this.summary({ picked: query.picked, view: query }),
      pickable: slice.flatMap((row) => (row.kind !== 'folder' && takes(row.id) ? [row.id] : [])),
      folderPicked,
    };
  }

  /** The picked files `view` shows, in its order. */
  picked(target: PickedInView): string[] {
    const ids: string[] = [];
    this.#eachPicked(target, (item) => ids.push(item.id));
    return ids;
  }

  /** How many picked files `view` shows and what the bulk actions would take of them. */
  summary(target: PickedInView): PickedSummary {
    const { picked, view } = target;
    // Every file picked but a few, in a view of every file: the running numbers less those few.
    if ('all' in picked && showsAll(view) && picked.all.every(showsAll)) {
      const counts = { ...this.#counter.can };
      let count = this.#items.length;
      for (const id of new Set(picked.except)) {
        const item = this.#item(id);
        if (!item) continue;
        count -= 1;
        for (const action of SUMMED) if (can(item.status, action)) counts[action] -= 1;
      }
      return { count, can: counts, kept: null };
    }
    const counts: Record<(typeof SUMMED)[number], number> = { pause: 0, resume: 0, 'upload-next': 0 };
    const kept: string[] = [];
    let count = 0;
    this.#eachPicked(target, (item) => {
      count += 1;
      for (const action of SUMMED) if (can(item.status, action)) counts[action] += 1;
      if ('ids' in target.picked) kept.push(item.id);
    });
    return { count, can: counts, kept: 'ids' in target.picked && count < target.picked.ids.length ? kept : null };
  }

  /** Calls `each` with every picked file the view shows, in its order; no list of the view is made. */
  #eachPicked({ picked, view }: PickedInView, each: (item: UploadItem) => void): void {
    if ('ids' in picked && picked.ids.length === 0) return;
    const isPicked = this.#isPicked(picked);
    for (const item of this.#shownItems(view)) if (isPicked(item.id)) each(this.#item(item.id)!);
  }

  /** Whether a file is picked: taken by the ids or queries, and not unpicked by hand. */
  #isPicked(picked: Picked): (id: string) => boolean {
    const takes = this.#takes(picked);
    if ('ids' in picked) return takes;
    const except = new Set(picked.except);
    return (id) => takes(id) && !except.has(id);
  }

  /** The batch's ending, read from every item once per change (a scroll reads pages too). */
  #wholeList(totals: UploadTotals) {
    const { toGo } = totals.outcome;
    if (this.#whole?.changes !== this.#changes || this.#whole.toGo !== toGo)
      this.#whole = { changes: this.#changes, toGo, ending: batchEnding(this.#items, totals.outcome), attention: null };
    return this.#whole;
  }

  /** Needs attention by reason, read from every item once per change. */
  #attention(totals: UploadTotals): readonly AttentionGroup[] {
    const whole = this.#wholeList(totals);
    whole.attention ??= attentionGroups(this.#items);
    return whole.attention;
  }

  /** Whether the picked ids or queries take a file, before the files unpicked by hand. */
  #takes(picked: Picked): (id: string) => boolean {
    if ('ids' in picked) {
      const ids = new Set(picked.ids);
      return (id) => ids.has(id);
    }
    const takes = picked.all.map(matches);
    return (id) => {
      const item = this.#item(id);
      return item !== undefined && takes.every((shows) => shows(item));
    };
  }

  #count(item: UploadItem, sign: 1 | -1): void {
    this.#counter.add(item, sign);
    if (item.watchFolder) {
      const files = (this.#sources.get(item.watchFolder) ?? 0) + sign;
      if (files > 0) this.#sources.set(item.watchFolder, files);
      else this.#sources.delete(item.watchFolder);
    }
    if (item.status.kind === 'file-missing') {
      if (sign > 0) this.#missing.set(item.id, item.path);
      else this.#missing.delete(item.id);
    }
  }

  #reindex(): void {
    // A loop, not a Map made from pairs: a million pairs cost four times the Map itself.
    const at = new Map<string, number>();
    for (let index = 0; index < this.#items.length; index += 1) at.set(this.#items[index]!.id, index);
    this.#at = at;
  }

  #shownItems(query: QueueQuery): readonly UploadItem[] {
    const key = JSON.stringify([query.filter, query.source, query.search, query.sort]);
    if (this.#shown?.key !== key || this.#shown.placed !== this.#placed)
      this.#shown = { key, placed: this.#placed, items: shownItems(this.#items, query) };
    return this.#shown.items;
  }

  #groupedRows(query: RowsQuery, shown: readonly UploadItem[]): readonly QueueRow[] {
    const key = JSON.stringify([query.filter, query.source, query.search, query.sort, [...query.collapsed].sort()]);
    if (this.#rows?.key !== key || this.#rows.placed !== this.#placed)
      this.#rows = { key, placed: this.#placed, rows: folderRows(shown, new Set(query.collapsed)) };
    return this.#rows.rows;
  }

  /** How many files wait ahead of `item` (waiting itself) in the queue. */
  #ahead(item: UploadItem): number {
    if (this.#waiting?.placed !== this.#placed) {
      const positions = this.#items.filter((each) => each.status.kind === 'queued').map((each) => each.position);
      this.#waiting = { placed: this.#placed, positions: Float64Array.from(positions) };
    }
    const { positions } = this.#waiting;
    let low = 0;
    let high = positions.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (positions[middle]! < item.position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** An empty list's page: what the window shows before main first answers. */
export const EMPTY_PAGE: QueuePage = new QueuePages().page(FIRST_PAGE, NO_TOTALS);
