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
import type { Result } from '../../../electron/shared/result';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';
import type { CopyingTally } from '../../../electron/shared/upload-copy';
import { counted, m } from '../../../electron/shared/i18n';
import {
  batchEnding,
  folderRows,
  isFolderId,
  listTally,
  shownItems,
  waitingAhead,
  type BatchEnding,
  type Filter,
  type FolderRow,
  type QueueRow,
  type QueueSort,
} from '../../../electron/shared/queue-view';

export type { BatchEnding, Filter, FolderRow, QueueRow, QueueSort } from '../../../electron/shared/queue-view';

const DENSITY_KEY = 'uploads.compact';

/** How long Undo is offered after Clear finished (main keeps the rows for 10 s). */
const UNDO_SHOWN_MS = 8_000;

/** How long a confirmation stays: long enough to read twice, short enough never to go stale. */
export const CONFIRMATION_MS = 10_000;

/**
 * The upload queue as the window shows it. Loaded once, then patched from `uploads:changed` events
 * (only changed rows arrive), so 10,000 rows cost one array copy per event, not a reload. What it
 * shows and how it counts is `shared/queue-view.ts`.
 */
export class UploadsModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #items = $state.raw<readonly UploadItem[]>([]);
  #totals = $state.raw<UploadTotals>(NO_TOTALS);
  #scan = $state.raw<ScanState>({ active: false, found: 0 });
  #filter = $state<Filter>('all');
  /** Only the files from this watched folder (its path), or from anywhere. */
  #source = $state<string | null>(null);
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #message = $state<string | null>(null);
  #undo = $state<{ readonly count: number } | null>(null);
  #skipped = $state.raw<{ readonly count: number; readonly files: readonly SkippedFile[] } | null>(null);
  #undoTimer: ReturnType<typeof setTimeout> | undefined;
  #index = new Map<string, number>();
  #search = $state('');
  #sort = $state<QueueSort>('added');
  #grouped = $state(false);
  #collapsed = $state.raw<ReadonlySet<string>>(new Set());
  #compact = $state(localStorage.getItem(DENSITY_KEY) === 'true');

  readonly visible = $derived(
    shownItems(this.#items, { filter: this.#filter, source: this.#source, search: this.#search, sort: this.#sort }),
  );

  /**
   * The rows the list draws: the visible files, or grouped by folder (see `folderRows`).
   */
  readonly rows = $derived.by((): readonly QueueRow[] =>
    this.#grouped ? folderRows(this.visible, this.#collapsed) : this.visible,
  );

  /** Files shown under a heading per folder. */
  get grouped(): boolean {
    return this.#grouped;
  }

  set grouped(value: boolean) {
    this.#grouped = value;
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
  }

  get search(): string {
    return this.#search;
  }

  /** Shows only files whose name or folder holds this text (any case). */
  set search(value: string) {
    this.#search = value;
    this.#keepShown();
  }

  /**
   * A narrower view keeps only the selected files it shows, so a bulk action or Delete never
   * reaches a file the search or a filter hides.
   */
  #keepShown(): void {
    if (this.#selected.size === 0) return;
    const shown = new Set(this.visible.map((item) => item.id));
    if ([...this.#selected].some((id) => !shown.has(id)))
      this.#selected = new Set([...this.#selected].filter((id) => shown.has(id)));
  }

  get sort(): QueueSort {
    return this.#sort;
  }

  set sort(value: QueueSort) {
    this.#sort = value;
  }

  /** The watched folders the listed files came from, for the "From" filter. */
  readonly sources = $derived([
    ...new Set(this.#items.flatMap((item) => (item.watchFolder ? [item.watchFolder] : []))),
  ]);

  /** The filters' counts and the files still being checked, in one pass over the list. */
  readonly #tally = $derived(listTally(this.#items));

  /** Upload copies to be made, and how far the one being made is, for the progress header. */
  get copying(): CopyingTally | null {
    return this.#tally.copying;
  }

  get counts(): Readonly<Record<Filter, number>> {
    return this.#tally.counts;
  }

  /**
   * Files the whole queue's actions would take: "Pause all", "Resume all" and "Retry failed" are
   * offered where these are above 0, in the status bar and above the list alike.
   */
  get actionable(): { readonly pause: number; readonly resume: number; readonly retryFailed: number } {
    const { pausable, resumable, retryable } = this.#tally;
    return { pause: pausable, resume: resumable, retryFailed: retryable };
  }

  /** Files still being read before they may go ("25 still being checked"). */
  get checking(): number {
    return this.#tally.checking;
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

  /** Keeps `ending` as the record of the batch that ended last (see there). */
  #noteEnding(): void {
    const { outcome } = this.#totals;
    if (outcome.toGo > 0) this.#ending = null;
    else this.#ending ??= batchEnding(this.#items, outcome);
  }

  /** For each waiting item, how many wait ahead of it ("Starts after 3 others"). */
  readonly ahead = $derived(waitingAhead(this.#items));

  get items(): readonly UploadItem[] {
    return this.#items;
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
    this.#keepShown();
  }

  get source(): string | null {
    return this.#source;
  }

  set source(value: string | null) {
    this.#source = value;
    this.#keepShown();
  }

  get selected(): ReadonlySet<string> {
    return this.#selected;
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
        let next: UploadItem[] | null = null;
        let moved = false;
        for (const item of change.items) {
          const at = this.#index.get(item.id);
          next ??= [...this.#items];
          if (at === undefined) {
            this.#index.set(item.id, next.length);
            next.push(item);
          } else {
            moved ||= next[at]!.position !== item.position;
            next[at] = item;
          }
        }
        // Upload next moved files to the front: the list keeps queue order.
        if (next && moved) {
          next.sort((a, b) => a.position - b.position);
          this.#reindex(next);
        }
        if (change.removed.length > 0) {
          const gone = new Set(change.removed);
          next = (next ?? [...this.#items]).filter((item) => !gone.has(item.id));
          this.#reindex(next);
          this.#selected = new Set([...this.#selected].filter((id) => !gone.has(id)));
        }
        if (next) this.#items = next;
        this.#totals = change.totals;
        this.#noteEnding();
      }),
      this.#api.onUploadsScan((scan) => {
        this.#scan = scan;
      }),
    ];
    void this.reload();
    return () => stops.forEach((stop) => stop());
  }

  async reload(): Promise<void> {
    const result = await this.#api.uploadsList();
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    this.#items = result.value.items;
    this.#reindex(this.#items);
    this.#totals = result.value.totals;
    this.#noteEnding();
  }

  #reindex(items: readonly UploadItem[]): void {
    this.#index = new Map(items.map((item, index) => [item.id, index]));
  }

  /** Selects these files (a folder heading's id stands for nothing and is left out). */
  select(ids: Iterable<string>): void {
    this.#selected = new Set([...ids].filter((id) => !isFolderId(id)));
  }

  /** Picks or unpicks one file, or with a folder heading's id, all of that folder's files. */
  toggle(id: string): void {
    const folder = isFolderId(id) ? this.rows.find((row) => row.id === id) : undefined;
    const ids = folder?.kind === 'folder' ? folder.ids : [id];
    const next = new Set(this.#selected);
    const picked = ids.every((each) => next.has(each));
    for (const each of ids) {
      if (picked) next.delete(each);
      else next.add(each);
    }
    this.#selected = next;
  }

  /** Selects every file the search and filters show, in folded folders too. */
  selectAll(): void {
    this.#selected = new Set(this.visible.map((item) => item.id));
  }

  /** Moves these waiting files to the front of the queue, in the order given. */
  async uploadNext(ids: readonly string[]): Promise<void> {
    await this.#act(this.#api.uploadsMoveToTop([...ids]));
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

  async pause(selection: Selection): Promise<void> {
    await this.#act(this.#api.uploadsPause(selection));
  }

  /** Sends these at once, even outside the upload window. */
  async uploadNow(ids: readonly string[]): Promise<void> {
    await this.#act(this.#api.uploadsUploadNow([...ids]));
  }

  /** One listed item by id, without a pass over the list. */
  byId(id: string): UploadItem | undefined {
    const at = this.#index.get(id);
    return at === undefined ? undefined : this.#items[at];
  }

  async resume(selection: Selection): Promise<void> {
    await this.#act(this.#api.uploadsResume(selection));
  }

  async retry(selection: Selection): Promise<void> {
    await this.#act(this.#api.uploadsRetry(selection));
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.#act(this.#api.uploadsRemove([...ids]));
  }

  /** Asks again for files TwelveLabs could not index (never twice for one that arrived). */
  async ['retry-indexing'](selection: Selection): Promise<void> {
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
