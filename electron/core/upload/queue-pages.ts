import { attentionGroups, type AttentionGroup } from '../../shared/attention';
import { commonFolder } from '../../shared/banner';
import type { IndexState } from '../../shared/indexes';
import { foldForSearch } from '../../shared/library-search';
import {
  PAGE_ROWS_MAX,
  type Picked,
  type PickedInView,
  type PickedSummary,
  type QueuePage,
  type RowsQuery,
  type ViewQuery,
} from '../../shared/queue-pages';
import {
  folderId,
  GROUP_ORDER,
  showsAll,
  type BatchEnding,
  type Filter,
  type FolderRow,
  type ListTally,
  type QueueQuery,
  type QueueRow,
  type QueueSort,
} from '../../shared/queue-view';
import { copySecondsLeft } from '../../shared/upload-copy';
import { can, KINDS, retriedWithAll } from '../../shared/upload-status';
import {
  rowGroup,
  type UploadGroup,
  type UploadItem,
  type UploadStatus,
  type UploadStatusKind,
  type UploadTotals,
} from '../../shared/uploads';
import type { SqlValue } from '../store/database';
import { Journal } from './journal';

/**
 * The queue as the window reads it, answered from the journal a page at a time: main keeps no
 * list of the queue, only the numbers of the last read (until the journal is written again), so a
 * queue of a million files costs main what a queue of ten does. The rules of which group a state
 * is in and what each action takes stay the shared ones (`rowGroup`, `can`): they are evaluated
 * for every state once, here, and written out as SQL.
 */

/** What the engine adds to the journal's rows: the files it holds are newer there. */
export interface LiveItems {
  /** A file as the window sees it: as the engine holds it, if it does (its state may be ahead of the journal's). */
  view(item: UploadItem): UploadItem;
  /** Files cleared from the list that Undo may bring back: still in the journal, not listed. */
  cleared(): ReadonlySet<string> | null;
}

const STATE_KINDS = Object.keys(KINDS) as UploadStatusKind[];
const INDEX_STATES = Object.keys({
  waiting: 0,
  requesting: 0,
  indexing: 0,
  searchable: 0,
  failed: 0,
  held: 0,
  skipped: 0,
} satisfies Record<IndexState, 0>) as IndexState[];

/** A status standing for every status of its kind that the rules tell apart (a failure's retry). */
function standIn(kind: UploadStatusKind, retryable: boolean): UploadStatus {
  return { kind, retryable, code: '', message: '', assetId: null, of: '' } as unknown as UploadStatus;
}

/** `rowGroup` as SQL over `state` and `index_state`. */
const GROUP_SQL = `(CASE state ${STATE_KINDS.map((kind) => {
  const status = standIn(kind, false);
  const bare = rowGroup({ status });
  const byIndex = INDEX_STATES.flatMap((state) => {
    const group = rowGroup({ status, index: { id: '', name: '', state } });
    return group === bare ? [] : [`WHEN '${state}' THEN '${group}'`];
  });
  return `WHEN '${kind}' THEN ${byIndex.length === 0 ? `'${bare}'` : `(CASE index_state ${byIndex.join(' ')} ELSE '${bare}' END)`}`;
}).join(' ')} END)`;

/** The state sort's rank, as SQL. */
const RANK_SQL = `(CASE ${GROUP_SQL} ${Object.entries(GROUP_ORDER)
  .map(([group, rank]) => `WHEN '${group}' THEN ${rank}`)
  .join(' ')} END)`;

/** The rows whose status `test` takes, as SQL over `state` and `retryable`. */
function statusSql(test: (status: UploadStatus) => boolean): string {
  const parts = STATE_KINDS.flatMap((kind) => {
    const [yes, no] = [test(standIn(kind, true)), test(standIn(kind, false))];
    if (yes && no) return [`state = '${kind}'`];
    if (yes || no) return [`(state = '${kind}' AND retryable = ${yes ? 1 : 0})`];
    return [];
  });
  return parts.length === 0 ? 'FALSE' : `(${parts.join(' OR ')})`;
}

const SUMMED = ['pause', 'resume', 'upload-next'] as const;
const CAN_SQL = Object.fromEntries(
  SUMMED.map((action) => [action, statusSql((status) => can(status, action))]),
) as Record<(typeof SUMMED)[number], string>;

/** Each sort's order, ties in queue order. */
const ORDER: Readonly<Record<QueueSort, string>> = {
  added: 'position',
  name: 'name_key, position',
  size: 'size DESC, position',
  state: `${RANK_SQL}, position`,
};

/** A condition with its parameters. */
interface Where {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const json = (ids: Iterable<string>): string => JSON.stringify([...ids]);

/** The rows among `ids` (any number: one parameter). */
function amongIds(ids: Iterable<string>, not = false): Where {
  return { sql: `id ${not ? 'NOT ' : ''}IN (SELECT value FROM json_each(?))`, params: [json(ids)] };
}

/** What `query`'s search and filters ask of a row (its sort aside). */
function shows(query: QueueQuery): Where[] {
  const where: Where[] = [];
  if (query.filter !== 'all') where.push({ sql: `${GROUP_SQL} = ?`, params: [query.filter] });
  if (query.source !== null) where.push({ sql: 'watch_folder = ?', params: [query.source] });
  const search = foldForSearch(query.search.trim());
  // Name and folder: the relative path holds both, folded as the search is.
  if (search !== '') where.push({ sql: 'instr(search_text, ?) > 0', params: [search] });
  return where;
}

/** The rows the picked ids or queries take, before the files unpicked by hand. */
function takes(picked: Picked): Where[] {
  return 'ids' in picked ? [amongIds(picked.ids)] : picked.all.flatMap(shows);
}

/** The rows picked: taken, and not unpicked by hand. */
function pickedWhere(picked: Picked): Where[] {
  return 'all' in picked && picked.except.length > 0
    ? [...takes(picked), amongIds(picked.except, true)]
    : takes(picked);
}

function joined(where: readonly Where[]): Where {
  return where.length === 0
    ? { sql: 'TRUE', params: [] }
    : { sql: where.map((each) => `(${each.sql})`).join(' AND '), params: where.flatMap((each) => each.params) };
}

/** How many rows are in one state (and index state), as the counts read them. */
interface StateCount {
  readonly state: UploadStatusKind;
  readonly retryable: number;
  readonly index_state: IndexState | null;
  readonly n: number;
}

/** The group of the rows in one state, by the shared rule. */
function groupOf(row: StateCount): UploadGroup {
  const status = standIn(row.state, row.retryable === 1);
  return rowGroup(
    row.index_state === null ? { status } : { status, index: { id: '', name: '', state: row.index_state } },
  );
}

/** A folder heading's files and numbers, as the grouped list lays them out. */
interface Folder {
  readonly watchFolder: string | null;
  readonly folder: string;
  readonly files: number;
  readonly counts: Record<UploadGroup, number>;
  /** Where its files first come in the sort: queue place, name, size, state. */
  first: number;
  firstName: string;
  largest: number;
  firstRank: number;
}

/** The rows a query lists, laid out: flat, or folders with where each heading stands. */
type Layout =
  | { readonly grouped: false; readonly shown: number; readonly rowCount: number }
  | {
      readonly grouped: true;
      readonly shown: number;
      readonly rowCount: number;
      readonly folders: readonly Folder[];
      /** The row each folder's heading is at. */
      readonly starts: Float64Array;
    };

/** The numbers of the whole list, and what the bulk actions over all of it would take. */
interface Tally {
  readonly list: ListTally;
  readonly can: Record<(typeof SUMMED)[number], number>;
  readonly copying: number;
}

const noCounts = (): Record<UploadGroup, number> => ({
  uploading: 0,
  processing: 0,
  waiting: 0,
  attention: 0,
  done: 0,
});

export class QueuePages {
  readonly #journal: Journal;
  readonly #live: LiveItems;
  /** Reads kept until the journal is written again or the cleared files change. */
  #kept = new Map<string, Promise<unknown>>();
  #keptFor: { version: number; cleared: ReadonlySet<string> | null } = { version: -1, cleared: null };
  /** The files cleared for Undo as the journal's `temp.cleared` holds them, and that write. */
  #clearedIn: ReadonlySet<string> | null = null;
  #clearing: Promise<void> = Promise.resolve();
  /** The journal's version the last page was read at; a write after it makes that page stale. */
  #servedAt = -1;
  #stale: NodeJS.Timeout | undefined;
  readonly #stopWatching: () => void;

  /**
   * `stale` is called (at most once a `staleMs`) when the journal was written after the last
   * page was read and no new page was asked for: the window reads its rows again.
   */
  constructor(journal: Journal, live: LiveItems, stale: () => void = () => {}, staleMs = 250) {
    this.#journal = journal;
    this.#live = live;
    this.#stopWatching = journal.onWrite(() => {
      if (this.#servedAt < 0 || this.#stale) return;
      this.#stale = setTimeout(() => {
        this.#stale = undefined;
        if (this.#servedAt >= 0 && this.#servedAt !== this.#journal.version) stale();
      }, staleMs);
      this.#stale.unref?.();
    });
  }

  close(): void {
    this.#stopWatching();
    clearTimeout(this.#stale);
  }

  /** The rows `query` asks for, with the whole list's numbers. */
  async page(query: ViewQuery, totals: UploadTotals): Promise<QueuePage> {
    await this.#syncCleared();
    const version = this.#journal.version;
    const layout = await this.#layout(query);
    const from = Math.max(0, Math.min(query.from, layout.rowCount));
    const end = Math.min(layout.rowCount, from + Math.min(query.count, PAGE_ROWS_MAX));
    const positions = new Map<string, number>();
    const [rows, tally, sources, whole, picked] = await Promise.all([
      this.#rows(query, layout, from, end, positions),
      this.#tally(),
      this.#keep('sources', () => this.#sources()),
      this.#keep('whole', () => this.#whole()),
      this.summary({ picked: query.picked, view: query }),
    ]);
    const files = rows.flatMap((row) => (row.kind === 'folder' ? [] : [row]));
    const headings = rows.flatMap((row) => (row.kind === 'folder' ? [row] : []));
    const [ahead, taken, ending, attention] = await Promise.all([
      this.#ahead(files, positions),
      this.#taken(query.picked, [...files.map((row) => row.id), ...headings.flatMap((row) => row.ids)]),
      this.#ending(totals),
      query.filter === 'attention' ? this.#keep('attention', () => this.#attention()) : [],
    ]);
    const except = new Set('all' in query.picked ? query.picked.except : []);
    const folderPicked: Record<string, number> = {};
    for (const heading of headings)
      folderPicked[heading.id] = heading.ids.reduce((n, id) => n + (taken.has(id) && !except.has(id) ? 1 : 0), 0);
    this.#servedAt = version;
    return {
      from,
      rows,
      rowCount: layout.rowCount,
      shown: layout.shown,
      ahead,
      tally: await this.#listTally(tally),
      sources,
      missingFolder: whole.missingFolder,
      newest: whole.newest,
      ending,
      attention,
      totals,
      picked,
      pickable: files.flatMap((row) => (taken.has(row.id) ? [row.id] : [])),
      folderPicked,
    };
  }

  /** The files of rows `from` to `to` (both included, either way round); headings stand for none. */
  async rowIds(query: RowsQuery, from: number, to: number): Promise<string[]> {
    await this.#syncCleared();
    const layout = await this.#layout(query);
    const rows = await this.#rows(query, layout, Math.max(0, Math.min(from, to)), Math.max(from, to) + 1, null);
    return rows.flatMap((row) => (row.kind === 'folder' ? [] : [row.id]));
  }

  /** The picked files `view` shows, in its order. */
  async picked({ picked, view }: PickedInView): Promise<string[]> {
    if ('ids' in picked && picked.ids.length === 0) return [];
    await this.#syncCleared();
    const where = this.#where([...shows(view), ...pickedWhere(picked)]);
    const rows = await this.#journal.read<{ id: string }>(
      `SELECT id FROM items WHERE ${where.sql} ORDER BY ${ORDER[view.sort]}`,
      where.params,
    );
    return rows.map((row) => row.id);
  }

  /** How many picked files `view` shows and what the bulk actions would take of them. */
  async summary({ picked, view }: PickedInView): Promise<PickedSummary> {
    const none = { pause: 0, resume: 0, 'upload-next': 0 };
    if ('ids' in picked && picked.ids.length === 0) return { count: 0, can: none, kept: null };
    await this.#syncCleared();
    const sums = `COUNT(*) AS count, ${SUMMED.map((action, at) => `SUM(${CAN_SQL[action]}) AS can${at}`).join(', ')}`;
    type Sums = { count: number } & Record<`can${number}`, number | null>;
    const counted = (row: Sums | undefined) => ({
      count: row?.count ?? 0,
      can: Object.fromEntries(SUMMED.map((action, at) => [action, row?.[`can${at}`] ?? 0])) as PickedSummary['can'],
    });
    // Every file picked but a few, in a view of every file: the whole list's numbers less those few.
    if ('all' in picked && showsAll(view) && picked.all.every(showsAll)) {
      const { list, can: all } = await this.#tally();
      const where = this.#where([amongIds(new Set(picked.except))]);
      const [row] = await this.#journal.read<Sums>(`SELECT ${sums} FROM items WHERE ${where.sql}`, where.params);
      const less = counted(row);
      const counts = Object.fromEntries(SUMMED.map((action) => [action, all[action] - less.can[action]]));
      return { count: list.counts.all - less.count, can: counts as PickedSummary['can'], kept: null };
    }
    const where = this.#where([...shows(view), ...pickedWhere(picked)]);
    const [row] = await this.#journal.read<Sums>(`SELECT ${sums} FROM items WHERE ${where.sql}`, where.params);
    const { count, can: counts } = counted(row);
    if (!('ids' in picked) || count >= picked.ids.length) return { count, can: counts, kept: null };
    return { count, can: counts, kept: await this.picked({ picked, view }) };
  }

  /** The listed rows (not those cleared for Undo) that `where` takes. */
  #where(where: readonly Where[]): Where {
    if (!this.#clearedIn) return joined(where);
    return joined([...where, { sql: 'id NOT IN (SELECT id FROM temp.cleared)', params: [] }]);
  }

  /**
   * Hands the journal the files cleared for Undo when they change, once (a million of them are
   * then left out by an index, not handed to every read), and waits until it has them.
   */
  #syncCleared(): Promise<void> {
    const cleared = this.#live.cleared();
    const now = cleared && cleared.size > 0 ? cleared : null;
    if (now !== this.#clearedIn) {
      this.#clearedIn = now;
      this.#clearing = this.#clearing.catch(() => undefined).then(() => this.#journal.setCleared(now));
    }
    return this.#clearing;
  }

  /** A read kept until the journal is written again (or Undo's files change): a scroll reads pages only. */
  #keep<T>(key: string, read: () => Promise<T>): Promise<T> {
    const version = this.#journal.version;
    const cleared = this.#clearedIn;
    if (this.#keptFor.version !== version || this.#keptFor.cleared !== cleared) {
      this.#kept = new Map();
      this.#keptFor = { version, cleared };
    }
    let kept = this.#kept.get(key) as Promise<T> | undefined;
    if (!kept) {
      kept = read();
      this.#kept.set(key, kept);
      // A read that failed is read again next time.
      kept.catch(() => this.#kept.get(key) === kept && this.#kept.delete(key));
    }
    return kept;
  }

  #layout(query: RowsQuery): Promise<Layout> {
    const key = JSON.stringify([query.filter, query.source, query.search.trim(), query.sort, query.grouped]);
    return this.#keep(`layout:${key}`, async (): Promise<Layout> => {
      if (!query.grouped) {
        const shown = showsAll(query) ? (await this.#tally()).list.counts.all : await this.#count(shows(query));
        return { grouped: false as const, shown, rowCount: shown };
      }
      return this.#folders(query);
    }).then((layout) => (layout.grouped ? this.#folded(layout, query.collapsed) : layout));
  }

  async #count(where: readonly Where[]): Promise<number> {
    const all = this.#where(where);
    const [row] = await this.#journal.read<{ n: number }>(
      `SELECT COUNT(*) AS n FROM items WHERE ${all.sql}`,
      all.params,
    );
    return row?.n ?? 0;
  }

  /** The folders the query shows, in the order their first files come, with their numbers. */
  async #folders(query: QueueQuery): Promise<Layout & { grouped: true }> {
    const where = this.#where(shows(query));
    // Grouped by the folder index's own columns, in its order, so the index alone answers (the
    // name and size sorts read the rows too); the group and rank of each state are worked out here.
    const extra =
      query.sort === 'name' ? ', MIN(name_key) AS firstName' : query.sort === 'size' ? ', MAX(size) AS largest' : '';
    const parts = await this.#journal.read<
      StateCount & { watchFolder: string | null; folder: string; first: number; firstName?: string; largest?: number }
    >(
      `SELECT folder, watch_folder AS watchFolder, state, retryable, index_state, COUNT(*) AS n,
         MIN(position) AS first${extra}
       FROM items WHERE ${where.sql} GROUP BY folder, watch_folder, state, index_state, retryable`,
      where.params,
    );
    const byKey = new Map<string, Folder>();
    for (const part of parts) {
      const key = `${part.watchFolder ?? ''}\u0000${part.folder}`;
      const group = groupOf(part);
      let folder = byKey.get(key);
      if (!folder) {
        folder = {
          watchFolder: part.watchFolder === '' ? null : part.watchFolder,
          folder: part.folder,
          files: 0,
          counts: noCounts(),
          first: part.first,
          firstName: part.firstName ?? '',
          largest: part.largest ?? 0,
          firstRank: GROUP_ORDER[group],
        };
        byKey.set(key, folder);
      }
      (folder as { files: number }).files += part.n;
      folder.counts[group] += part.n;
      folder.first = Math.min(folder.first, part.first);
      if (part.firstName !== undefined && part.firstName < folder.firstName) folder.firstName = part.firstName;
      folder.largest = Math.max(folder.largest, part.largest ?? 0);
      folder.firstRank = Math.min(folder.firstRank, GROUP_ORDER[group]);
    }
    const byFirst = (a: Folder, b: Folder) => a.first - b.first;
    const FIRST: Readonly<Record<QueueSort, (a: Folder, b: Folder) => number>> = {
      added: byFirst,
      name: (a, b) => (a.firstName < b.firstName ? -1 : a.firstName > b.firstName ? 1 : byFirst(a, b)),
      size: (a, b) => b.largest - a.largest || byFirst(a, b),
      state: (a, b) => a.firstRank - b.firstRank || byFirst(a, b),
    };
    const folders = [...byKey.values()].sort(FIRST[query.sort]);
    const shown = folders.reduce((n, folder) => n + folder.files, 0);
    return { grouped: true, shown, rowCount: 0, folders, starts: new Float64Array(0) };
  }

  /** The grouped layout with these headings folded: where each heading stands, and the rows in all. */
  #folded(layout: Layout & { grouped: true }, collapsed: readonly string[]): Layout {
    const folded = new Set(collapsed);
    const starts = new Float64Array(layout.folders.length);
    let row = 0;
    layout.folders.forEach((folder, at) => {
      starts[at] = row;
      row += 1 + (folded.has(folderId(folder.watchFolder, folder.folder)) ? 0 : folder.files);
    });
    return { ...layout, rowCount: row, starts };
  }

  /**
   * Rows `from` up to `end` of the list, files read as they are now (their progress moves), each
   * one's queue place noted in `positions`; with `positions` null, the files' ids alone.
   */
  async #rows(
    query: RowsQuery,
    layout: Layout,
    from: number,
    end: number,
    positions: Map<string, number> | null,
  ): Promise<QueueRow[]> {
    if (end <= from) return [];
    if (!layout.grouped) return this.#files(shows(query), query.sort, from, end - from, positions);
    const folded = new Set(query.collapsed);
    // The first folder with rows in range: the last heading at or before `from`.
    let low = 0;
    let high = layout.folders.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (layout.starts[middle]! <= from) low = middle;
      else high = middle - 1;
    }
    const rows: QueueRow[] = [];
    for (let at = low; at < layout.folders.length && layout.starts[at]! < end; at += 1) {
      const folder = layout.folders[at]!;
      const start = layout.starts[at]!;
      const id = folderId(folder.watchFolder, folder.folder);
      const isFolded = folded.has(id);
      const inFolder: Where[] = [
        ...shows(query),
        { sql: 'folder = ? AND watch_folder IS ?', params: [folder.folder, folder.watchFolder] },
      ];
      if (start >= from && positions) {
        const ids = (await this.#files(inFolder, query.sort, 0, folder.files, null)).map((row) => row.id);
        rows.push({
          kind: 'folder',
          id,
          folder: folder.folder,
          watchFolder: folder.watchFolder,
          ids,
          counts: folder.counts,
          collapsed: isFolded,
        } satisfies FolderRow);
      }
      if (isFolded) continue;
      const first = Math.max(0, from - start - 1);
      const last = Math.min(folder.files, end - start - 1);
      if (last > first) rows.push(...(await this.#files(inFolder, query.sort, first, last - first, positions)));
    }
    return rows;
  }

  /** `count` files from `offset` of those `where` takes, in `sort`'s order (see `#rows`). */
  async #files(
    where: readonly Where[],
    sort: QueueSort,
    offset: number,
    count: number,
    positions: Map<string, number> | null,
  ): Promise<UploadItem[]> {
    const all = this.#where(where);
    const rows = await this.#journal.read<{ id: string; position: number }>(
      `SELECT ${positions ? '*' : 'id'} FROM items WHERE ${all.sql} ORDER BY ${ORDER[sort]} LIMIT ? OFFSET ?`,
      [...all.params, count, offset],
    );
    if (!positions) return rows as unknown as UploadItem[];
    return rows.map((row) => {
      positions.set(row.id, row.position);
      return this.#live.view(Journal.item(row));
    });
  }

  /** For each waiting file among `files`, how many wait ahead of it in the queue. */
  async #ahead(files: readonly UploadItem[], at: ReadonlyMap<string, number>): Promise<Record<string, number>> {
    const waiting = files.filter((file) => file.status.kind === 'queued' && at.has(file.id));
    if (waiting.length === 0) return {};
    const positions = [...new Set(waiting.map((file) => at.get(file.id)!))].sort((a, b) => a - b);
    const first = positions[0]!;
    const last = positions.at(-1)!;
    // By the waiting line's own index (the state index would count every waiting file): those
    // before the first in view, then the places of those from there to the last, in one read
    // each when they are few (as in queue order); a stretch at a time between those in view when not.
    const [below] = await this.#journal.read<{ n: number }>(
      `SELECT COUNT(*) AS n FROM items INDEXED BY items_queued_by_position WHERE state = 'queued' AND position < ?`,
      [first],
    );
    const before = new Map<number, number>();
    const limit = PAGE_ROWS_MAX * 2;
    const between = await this.#journal.read<{ position: number }>(
      `SELECT position FROM items INDEXED BY items_queued_by_position
         WHERE state = 'queued' AND position >= ? AND position <= ? ORDER BY position LIMIT ?`,
      [first, last, limit + 1],
    );
    let count = below?.n ?? 0;
    if (between.length <= limit) {
      for (const { position } of between) {
        before.set(position, count);
        count += 1;
      }
    } else {
      let after = first;
      for (const position of positions) {
        const [row] = await this.#journal.read<{ n: number }>(
          `SELECT COUNT(*) AS n FROM items INDEXED BY items_queued_by_position
             WHERE state = 'queued' AND position >= ? AND position < ?`,
          [after, position],
        );
        count += row?.n ?? 0;
        before.set(position, count);
        after = position;
      }
    }
    const ahead: Record<string, number> = {};
    for (const file of waiting) ahead[file.id] = before.get(at.get(file.id)!) ?? 0;
    return ahead;
  }

  /** Of `ids`, those the picked ids or queries take (before the files unpicked by hand). */
  async #taken(picked: Picked, ids: readonly string[]): Promise<ReadonlySet<string>> {
    if ('ids' in picked) return new Set(picked.ids);
    if (ids.length === 0) return new Set();
    const where = joined([amongIds(ids), ...takes(picked)]);
    const rows = await this.#journal.read<{ id: string }>(`SELECT id FROM items WHERE ${where.sql}`, where.params);
    return new Set(rows.map((row) => row.id));
  }

  /** The whole list's numbers, by state, read with the rules of each (one pass of the state index). */
  #tally(): Promise<Tally> {
    return this.#keep('tally', async () => {
      const where = this.#where([]);
      const rows = await this.#journal.read<StateCount>(
        `SELECT state, retryable, index_state, COUNT(*) AS n FROM items WHERE ${where.sql}
           GROUP BY state, retryable, index_state`,
        where.params,
      );
      const counts: Record<Filter, number> = { all: 0, ...noCounts() };
      const canCount = { pause: 0, resume: 0, 'upload-next': 0 };
      let checking = 0;
      let copying = 0;
      let pausable = 0;
      let resumable = 0;
      let retryable = 0;
      for (const row of rows) {
        const status = standIn(row.state, row.retryable === 1);
        counts.all += row.n;
        counts[groupOf(row)] += row.n;
        if (row.state === 'checking') checking += row.n;
        if (row.state === 'copying') copying += row.n;
        if (can(status, 'pause')) pausable += row.n;
        if (can(status, 'resume')) resumable += row.n;
        if (retriedWithAll(status)) retryable += row.n;
        for (const action of SUMMED) if (can(status, action)) canCount[action] += row.n;
      }
      return {
        list: { counts, checking, copying: null, pausable, resumable, retryable },
        can: canCount,
        copying,
      };
    });
  }

  /** The tally with the copies being made as they are now (how far each is moves between writes). */
  async #listTally(tally: Tally): Promise<ListTally> {
    if (tally.copying === 0) return tally.list;
    const where = this.#where([{ sql: "state = 'copying'", params: [] }]);
    const rows = await this.#journal.read<{ id: string }>(
      `SELECT * FROM items WHERE ${where.sql} ORDER BY position`,
      where.params,
    );
    const items = rows.map((row) => this.#live.view(Journal.item(row)));
    if (items.length === 0) return tally.list;
    const making = items.find((item) => item.copyProgress !== undefined);
    return {
      ...tally.list,
      copying: { count: items.length, progress: making?.copyProgress ?? null, secondsLeft: copySecondsLeft(items) },
    };
  }

  /** The watched folders the listed files came from, in the order they first come. */
  async #sources(): Promise<string[]> {
    const where = this.#where([{ sql: 'watch_folder IS NOT NULL', params: [] }]);
    const rows = await this.#journal.read<{ source: string }>(
      `SELECT watch_folder AS source FROM items WHERE ${where.sql} GROUP BY watch_folder ORDER BY MIN(position)`,
      where.params,
    );
    return rows.map((row) => row.source);
  }

  /** What is read of the whole list: the folder of the files waiting for their drive, the newest file. */
  async #whole(): Promise<{ missingFolder: string | null; newest: string | null }> {
    const listed = this.#where([]);
    const [[missing], [newest]] = await Promise.all([
      // The first and last by path share every folder all of them share.
      this.#journal.read<{ n: number; low: string | null; high: string | null }>(
        "SELECT COUNT(*) AS n, MIN(path) AS low, MAX(path) AS high FROM items WHERE state = 'file-missing'",
      ),
      this.#journal.read<{ relativePath: string }>(
        `SELECT relative_path AS relativePath FROM items WHERE ${listed.sql} ORDER BY position DESC LIMIT 1`,
        listed.params,
      ),
    ]);
    return {
      missingFolder: missing && missing.n > 0 ? commonFolder([missing.low!, missing.high!]) : null,
      newest: newest?.relativePath ?? null,
    };
  }

  /**
   * The batch as it ended: its outcome, the bytes that went in, and how long it took from the
   * first file added to the last one settled. Null while anything is still to happen, or for an
   * empty list.
   */
  async #ending(totals: UploadTotals): Promise<BatchEnding | null> {
    const { outcome } = totals;
    if (outcome.toGo > 0 || outcome.total === 0) return null;
    const span = await this.#keep('ending', async () => {
      const where = this.#where([]);
      const [row] = await this.#journal.read<{ bytes: number | null; first: number | null; last: number | null }>(
        `SELECT SUM(CASE WHEN state = 'ready' THEN size ELSE 0 END) AS bytes, MIN(added_at) AS first,
           MAX(updated_at) AS last FROM items WHERE ${where.sql}`,
        where.params,
      );
      return { bytes: row?.bytes ?? 0, first: row?.first ?? 0, last: row?.last ?? 0 };
    });
    return {
      outcome,
      bytes: span.bytes,
      seconds: Math.max(0, (span.last - span.first) / 1000),
      key: `${outcome.total}:${span.last}`,
    };
  }

  /** Needs attention by reason, read from the files refused, failed or waiting for their drive. */
  async #attention(): Promise<readonly AttentionGroup[]> {
    const where = this.#where([{ sql: "state IN ('rejected', 'failed', 'file-missing')", params: [] }]);
    const rows = await this.#journal.read<{ id: string }>(
      `SELECT * FROM items WHERE ${where.sql} ORDER BY position`,
      where.params,
    );
    return attentionGroups(rows.map((row) => this.#live.view(Journal.item(row))));
  }
}
