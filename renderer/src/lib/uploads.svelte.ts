import type {
  AddResult,
  ScanState,
  SkippedFile,
  Selection,
  UploadItem,
  UploadTotals,
} from '../../../electron/shared/uploads';
import { NO_TOTALS } from '../../../electron/shared/uploads';
import type { BatchRecord, ReportFormat, ReportRow } from '../../../electron/shared/report';
import { fail, type Result } from '../../../electron/shared/result';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';
import type { CopyingTally } from '../../../electron/shared/upload-copy';
import type { AttentionGroup } from '../../../electron/shared/attention';
import { counted, m } from '../../../electron/shared/i18n';
import {
  isFolderId,
  type BatchEnding,
  type Filter,
  type FolderRow,
  type QueueQuery,
  type QueueRow,
  type QueueSort,
} from '../../../electron/shared/queue-view';
import {
  EMPTY_PAGE,
  PAGE_ROWS_MAX,
  type Picked,
  type PickedInView,
  type PickedSummary,
  type QueuePage,
  type ViewQuery,
} from '../../../electron/shared/queue-pages';
import type { Rows } from '../ui/VirtualList.svelte';

export type { BatchEnding, Filter, FolderRow, QueueRow, QueueSort } from '../../../electron/shared/queue-view';

const DENSITY_KEY = 'uploads.compact';

/** How long Undo is offered after Clear finished (main keeps the rows for 10 s). */
const UNDO_SHOWN_MS = 8_000;

/** How long a confirmation stays: long enough to read twice, short enough never to go stale. */
export const CONFIRMATION_MS = 10_000;

/** Rows read either side of those drawn, so a scroll rarely meets a row not read yet. */
const MARGIN = 100;

/**
 * The upload queue as the window shows it, a page at a time: main keeps the list and answers with
 * the rows drawn (and a margin) and the whole list's numbers (`shared/queue-pages.ts`), so a queue
 * of a million files costs the window what one of a hundred does. A change in main says only
 * that the queue moved; the rows in view are read again, at most one read at a time.
 */
export class UploadsModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #page = $state.raw<QueuePage>(EMPTY_PAGE);
  /** What was picked when `#page` was read. */
  #pagePicked = $state.raw<Picked | null>(null);
  #totals = $state.raw<UploadTotals>(NO_TOTALS);
  #scan = $state.raw<ScanState>({ active: false, found: 0 });
  #filter = $state<Filter>('all');
  /** Only the files from this watched folder (its path), or from anywhere. */
  #source = $state<string | null>(null);
  #picked = $state.raw<Picked>({ ids: [] });
  #message = $state<string | null>(null);
  #undo = $state<{ readonly count: number } | null>(null);
  #skipped = $state.raw<{ readonly count: number; readonly files: readonly SkippedFile[] } | null>(null);
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #search = $state('');
  #sort = $state<QueueSort>('added');
  #grouped = $state(false);
  #collapsed = $state.raw<ReadonlySet<string>>(new Set());
  #compact = $state(localStorage.getItem(DENSITY_KEY) === 'true');
  /** The rows the list draws, first to last (not included). */
  #drawn = { first: 0, last: 0 };
  #reading = false;
  #readAgain = false;

  /** The list's rows: how many the query gives, and each one read so far. */
  readonly rows = $derived.by((): Rows<QueueRow> => {
    const page = this.#page;
    return { length: page.rowCount, at: (index) => (index < page.from ? undefined : page.rows[index - page.from]) };
  });

  /** The files the search and filters show. */
  get shown(): number {
    return this.#page.shown;
  }

  /** Files shown under a heading per folder. */
  get grouped(): boolean {
    return this.#grouped;
  }

  set grouped(value: boolean) {
    this.#grouped = value;
    this.#read();
  }

  /** Rows of one line each, to see more of a long queue at once; remembered on this computer. */
  get compact(): boolean {
    return this.#compact;
  }

  set compact(value: boolean) {
    this.#compact = value;
    localStorage.setItem(DENSITY_KEY, String(value));
  }

  /** Folds or unfolds a folder's files under its heading. */
  fold(row: FolderRow): void {
    const next = new Set(this.#collapsed);
    if (next.has(row.id)) next.delete(row.id);
    else next.add(row.id);
    this.#collapsed = next;
    this.#read();
  }

  get search(): string {
    return this.#search;
  }

  /** Shows only files whose name or folder holds this text (any case). */
  set search(value: string) {
    this.#search = value;
    this.#narrowed();
  }

  get sort(): QueueSort {
    return this.#sort;
  }

  set sort(value: QueueSort) {
    this.#sort = value;
    this.#read();
  }

  /** The watched folders the listed files came from, for the "From" filter. */
  get sources(): readonly string[] {
    return this.#page.sources;
  }

  /** Upload copies to be made, and how far the one being made is, for the progress header. */
  get copying(): CopyingTally | null {
    return this.#page.tally.copying;
  }

  get counts(): Readonly<Record<Filter, number>> {
    return this.#page.tally.counts;
  }

  /**
   * Files the whole queue's actions would take: "Pause all", "Resume all" and "Retry failed" are
   * offered where these are above 0, in the status bar and above the list alike.
   */
  get actionable(): { readonly pause: number; readonly resume: number; readonly retryFailed: number } {
    const { pausable, resumable, retryable } = this.#page.tally;
    return { pause: pausable, resume: resumable, retryFailed: retryable };
  }

  /** Files still being read before they may go ("25 still being checked"). */
  get checking(): number {
    return this.#page.tally.checking;
  }

  /**
   * The batch once nothing is left to happen by itself: its outcome, the bytes that went in, and
   * how long it took from the first file added to the last one settled. Null while it runs. Kept
   * as the batch's record once it ends: clearing finished rows or removing one does not rewrite
   * it ("23 uploaded" stays); the next batch starting replaces it.
   */
  get ending(): BatchEnding | null {
    return this.#ending;
  }

  #ending = $state.raw<BatchEnding | null>(null);

  /** For each waiting file drawn, how many wait ahead of it ("Starts after 3 others"). */
  get ahead(): Readonly<Record<string, number>> {
    return this.#page.ahead;
  }

  /** Needs attention by reason (read while the Needs attention filter is on). */
  get attention(): readonly AttentionGroup[] {
    return this.#page.attention;
  }

  /** The folder every file waiting for its drive is in (the banner names it); null otherwise. */
  get missingFolder(): string | null {
    return this.#page.missingFolder;
  }

  /** The newest file's place in its folder, for the template's preview; null for an empty list. */
  get newest(): string | null {
    return this.#page.newest;
  }

  get totals(): UploadTotals {
    return this.#totals;
  }

  /** Files paused with nothing else left to upload (see `pausedQueue`); 0 otherwise. */
  get paused(): number {
    return this.#totals.paused;
  }

  get scan(): ScanState {
    return this.#scan;
  }

  get filter(): Filter {
    return this.#filter;
  }

  set filter(value: Filter) {
    this.#filter = value;
    this.#narrowed();
  }

  get source(): string | null {
    return this.#source;
  }

  set source(value: string | null) {
    this.#source = value;
    this.#narrowed();
  }

  /** What the search and filters ask for, in the order the person chose. */
  get #query(): QueueQuery {
    return { filter: this.#filter, source: this.#source, search: this.#search, sort: this.#sort };
  }

  /**
   * A narrower view keeps only the picked files it shows, so a bulk action or Delete never
   * reaches a file the search or a filter hides: everything picked is picked as this view shows
   * it too (picked ids the view hides go when main answers with those it keeps).
   */
  #narrowed(): void {
    const picked = this.#picked;
    if ('all' in picked) this.#picked = { all: [...picked.all, this.#query], except: picked.except };
    this.#read();
  }

  /** The rows drawn changed (a scroll, a resize): read them if the page does not hold them. */
  drawn(first: number, last: number): void {
    this.#drawn = { first, last };
    const page = this.#page;
    const end = Math.min(last, page.rowCount);
    if (first < page.from || end > page.from + page.rows.length) this.#read();
  }

  /** Reads the rows drawn again; asked while a read is out, it reads once more when that is back. */
  #read(): void {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    this.#readAgain = false;
    // Asked again until the read is wholly done (the list hears of the new page before then).
    void this.#readNow().finally(() => {
      this.#reading = false;
      if (this.#readAgain) this.#read();
    });
  }

  async #readNow(): Promise<void> {
    const picked = this.#picked;
    const { first, last } = this.#drawn;
    const from = Math.max(0, first - MARGIN);
    const query: ViewQuery = {
      ...this.#query,
      grouped: this.#grouped,
      collapsed: [...this.#collapsed],
      from,
      count: Math.min(PAGE_ROWS_MAX, Math.max(0, last + MARGIN - from)),
      picked,
    };
    const result = await this.#api.uploadsView(query).catch((error: Error) => fail('unknown', error.message));
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    const page = result.value;
    this.#page = page;
    this.#pagePicked = picked;
    this.#totals = page.totals;
    // Picked ids the view no longer shows (removed, or hidden by a filter) leave the selection.
    if (page.picked.kept !== null && this.#picked === picked) this.#picked = { ids: page.picked.kept };
    this.#noteEnding();
  }

  /** Keeps `ending` as the record of the batch that ended last (see there). */
  #noteEnding(): void {
    if (this.#totals.outcome.toGo > 0) this.#ending = null;
    else this.#ending ??= this.#page.ending;
  }

  /** How many files are picked, as the view shows them (until main has counted, as picked). */
  get count(): number {
    const picked = this.#picked;
    return this.#pagePicked === picked || !('ids' in picked) ? this.#page.picked.count : picked.ids.length;
  }

  /** Every file the view shows is picked. */
  get allPicked(): boolean {
    return this.#page.shown > 0 && this.#page.picked.count === this.#page.shown && this.#pickedIds.size !== 0;
  }

  /** How many picked files each bulk action would take. */
  get pickedCan(): PickedSummary['can'] {
    return this.#page.picked.can;
  }

  /** The picked files as a bulk action takes them: those the view shows, in its order. */
  get picked(): PickedInView {
    return { picked: this.#picked, view: this.#query };
  }

  readonly #pickedIds = $derived.by((): ReadonlySet<string> => {
    const picked = this.#picked;
    if ('ids' in picked) return new Set(picked.ids);
    const except = new Set(picked.except);
    return new Set(this.#page.pickable.filter((id) => !except.has(id)));
  });

  /** Whether a file drawn is picked. */
  isPicked(id: string): boolean {
    return this.#pickedIds.has(id);
  }

  /** How many of a folder heading's files are picked. */
  pickedIn(row: FolderRow): number {
    return this.#page.folderPicked[row.id] ?? 0;
  }

  /** Picks these files, and only these (a folder heading's id stands for nothing and is left out). */
  select(ids: readonly string[]): void {
    this.#pick({ ids: ids.filter((id) => !isFolderId(id)) });
  }

  /** Picks or unpicks one file, or with a folder heading's id, all of that folder's files. */
  toggle(id: string): void {
    const folder = isFolderId(id) ? this.#page.rows.find((row) => row.id === id) : undefined;
    const ids = folder?.kind === 'folder' ? folder.ids : [id];
    const wasPicked = folder?.kind === 'folder' ? this.pickedIn(folder) === ids.length : this.isPicked(id);
    const picked = this.#picked;
    if ('ids' in picked) {
      const next = new Set(picked.ids);
      for (const each of ids) {
        if (wasPicked) next.delete(each);
        else next.add(each);
      }
      this.#pick({ ids: [...next] });
    } else {
      const except = new Set(picked.except);
      for (const each of ids) {
        if (wasPicked) except.add(each);
        else except.delete(each);
      }
      this.#pick({ all: picked.all, except: [...except] });
    }
  }

  /** Picks the files of rows `from` to `to` as well (a Shift range), read from main. */
  async addRange(from: number, to: number): Promise<void> {
    const query = { ...this.#query, grouped: this.#grouped, collapsed: [...this.#collapsed] };
    const result = await this.#api.uploadsRowIds(query, from, to);
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    const picked = this.#picked;
    if ('ids' in picked) this.#pick({ ids: [...new Set([...picked.ids, ...result.value])] });
    else {
      const adding = new Set(result.value);
      this.#pick({ all: picked.all, except: picked.except.filter((id) => !adding.has(id)) });
    }
  }

  /** Picks every file the search and filters show, in folded folders and rows not read too. */
  selectAll(): void {
    this.#pick({ all: [this.#query], except: [] });
  }

  #pick(picked: Picked): void {
    this.#picked = picked;
    this.#read();
  }

  /** Moves the picked files still waiting their turn to the front of the queue, in the order shown. */
  async uploadNext(target: readonly string[] | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsMoveToTop(Array.isArray(target) ? [...target] : (target as PickedInView)));
  }

  /** The last thing worth telling the person about an action (a refusal, or what an add did). */
  get message(): string | null {
    return this.#message;
  }

  #fading: ReturnType<typeof setTimeout> | undefined;

  /** A confirmation ("Added 12 files to the list."): said, then gone, so it never goes stale. */
  #confirm(text: string): void {
    this.#message = text;
    clearTimeout(this.#fading);
    this.#fading = setTimeout(() => {
      if (this.#message === text) this.#message = null;
    }, CONFIRMATION_MS);
  }

  /** Main asks for Uploads to be shown (the end-of-batch notification was clicked). */
  onShowRequested(show: () => void): () => void {
    return this.#api.onAppShowUploads(() => show());
  }

  start(): () => void {
    const stops = [
      this.#api.onUploadsChanged((change) => {
        this.#totals = change.totals;
        this.#noteEnding();
        this.#read();
      }),
      this.#api.onUploadsScan((scan) => {
        this.#scan = scan;
      }),
    ];
    this.#read();
    return () => stops.forEach((stop) => stop());
  }

  async addFiles(): Promise<void> {
    this.#added(await this.#api.uploadsPickFiles());
  }

  async addFolder(): Promise<void> {
    this.#added(await this.#api.uploadsPickFolder());
  }

  async addDropped(files: readonly File[]): Promise<void> {
    this.#added(await this.#api.uploadsAddDropped(files));
  }

  /** Links pasted or dropped as text; true when they were queued. */
  async addLinks(text: string): Promise<boolean> {
    const result = await this.#api.uploadsAddLinks(text);
    this.#added(result, 'link');
    return result.ok;
  }

  async pickLinkList(): Promise<boolean> {
    const result = await this.#api.uploadsPickLinkList();
    this.#added(result, 'link');
    return result.ok && result.value.queued + result.value.skipped > 0;
  }

  #added(result: Result<AddResult>, noun: 'file' | 'link' = 'file'): void {
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    const { queued, skipped, skippedFiles } = result.value;
    this.#skipped = skipped > 0 ? { count: skipped, files: skippedFiles } : null;
    if (queued === 0 && skipped === 0) return;
    const added = (noun === 'link' ? m.uploads_added_links : m.uploads_added)(counted(queued));
    const passed = (noun === 'link' ? m.uploads_skipped_links : m.uploads_skipped_files)(counted(skipped));
    this.#confirm(skipped > 0 ? `${added} ${passed}` : added);
  }

  async pause(selection: Selection | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsPause(selection));
  }

  /** Sends these at once, even outside the upload window. */
  async uploadNow(target: readonly string[] | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsUploadNow(Array.isArray(target) ? [...target] : (target as PickedInView)));
  }

  /** A file drawn (or about to be), by id. */
  byId(id: string): UploadItem | undefined {
    const row = this.#page.rows.find((each) => each.id === id);
    return row?.kind === 'folder' ? undefined : row;
  }

  async resume(selection: Selection | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsResume(selection));
  }

  async retry(selection: Selection | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsRetry(selection));
  }

  async remove(target: readonly string[] | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsRemove(Array.isArray(target) ? [...target] : (target as PickedInView)));
  }

  /** Asks again for files TwelveLabs could not index (never twice for one that arrived). */
  async ['retry-indexing'](selection: Selection | PickedInView): Promise<void> {
    await this.#act(this.#api.uploadsRetryIndexing(selection));
  }

  /** Makes the upload copies offered for these refused files. */
  async ['make-copy'](ids: readonly string[]): Promise<void> {
    await this.#act(this.#api.uploadsMakeCopies([...ids]));
  }

  async clearFinished(): Promise<void> {
    const result = await this.#api.uploadsClearFinished();
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    const { cleared } = result.value;
    clearTimeout(this.#undoTimer);
    this.#undo = cleared > 0 ? { count: cleared } : null;
    // Offered a little less long than main keeps the rows, so an Undo never arrives too late.
    if (cleared > 0) this.#undoTimer = setTimeout(() => (this.#undo = null), UNDO_SHOWN_MS);
  }

  /** Which files the last add skipped and why (the first few hundred), for "Show which". */
  get skipped(): { readonly count: number; readonly files: readonly SkippedFile[] } | null {
    return this.#skipped;
  }

  /** What the last Clear finished took, while Undo can still bring it back. */
  get undo(): { readonly count: number } | null {
    return this.#undo;
  }

  async undoClear(): Promise<void> {
    clearTimeout(this.#undoTimer);
    this.#undo = null;
    const result = await this.#api.uploadsUndoClear();
    if (!result.ok) this.#message = result.message;
    else {
      const { restored } = result.value;
      this.#confirm(m.uploads_put_back(counted(restored)));
    }
  }

  /** The batches this queue has seen, newest first (kept after their rows are cleared). */
  async history(): Promise<readonly BatchRecord[]> {
    const result = await this.#api.uploadsHistory();
    if (result.ok) return result.value;
    this.#message = result.message;
    return [];
  }

  /** A past batch's first files and how many it had, or null when the journal could not say. */
  async batchFiles(batchId: string): Promise<{ files: readonly ReportRow[]; total: number } | null> {
    const result = await this.#api.uploadsBatchFiles(batchId);
    if (result.ok) return result.value;
    this.#message = result.message;
    return null;
  }

  /** Writes a batch's report to a file the person picks, and says where. */
  async exportReport(batchId: string, format: ReportFormat): Promise<void> {
    const result = await this.#api.uploadsExportReport(batchId, format);
    if (!result.ok) this.#message = result.message;
    else if (result.value) {
      const { count, path } = result.value;
      this.#confirm(m.uploads_report_saved({ ...counted(count), path }));
    }
  }

  /**
   * Removes a file from the list and, when `assetId` is given, deletes that asset from the
   * library first (one TwelveLabs kept though it could not process it).
   */
  async removeWithAsset(id: string, assetId: string | null): Promise<void> {
    if (assetId !== null) {
      const deleted = await this.#api.libraryDelete([assetId], false);
      if (!deleted.ok) {
        this.#message = deleted.message;
        return;
      }
      if (deleted.value.inUse.length > 0) {
        this.#message = m.uploads_asset_kept();
        return;
      }
    }
    await this.remove([id]);
  }

  async reveal(id: string): Promise<void> {
    await this.#act(this.#api.uploadsReveal(id));
  }

  async #act(pending: Promise<Result<null>>): Promise<void> {
    const result = await pending;
    this.#message = result.ok ? null : result.message;
  }
}
