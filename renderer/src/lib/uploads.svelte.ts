import type {
  AddResult,
  ScanState,
  SkippedFile,
  Selection,
  UploadGroup,
  UploadItem,
  UploadTotals,
} from '../../../electron/shared/uploads';
import { groupOf, NO_TOTALS } from '../../../electron/shared/uploads';
import type { BatchRecord, ReportFormat } from '../../../electron/shared/report';
import type { Result } from '../../../electron/shared/result';
import { api } from './bridge';

export type Filter = 'all' | UploadGroup;

/** How the queue can be listed: in queue order, or by name, size (largest first) or state. */
export type QueueSort = 'added' | 'name' | 'size' | 'state';

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
  state: (a, b) => GROUP_ORDER[groupOf(a.status)] - GROUP_ORDER[groupOf(b.status)],
};

/** How long Undo is offered after Clear finished (main keeps the rows for 10 s). */
const UNDO_SHOWN_MS = 8_000;

/**
 * The upload queue as the window shows it. Loaded once, then patched from `uploads:changed` events
 * (only changed rows arrive), so 10,000 rows cost one array copy per event, not a reload.
 */
export class UploadsModel {
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

  readonly visible = $derived.by(() => {
    const search = this.#search.trim().toLowerCase();
    const shown =
      this.#filter === 'all' && this.#source === null && search === ''
        ? this.#items
        : this.#items.filter(
            (item) =>
              (this.#filter === 'all' || groupOf(item.status) === this.#filter) &&
              (this.#source === null || item.watchFolder === this.#source) &&
              // Name and folder: the relative path holds both.
              (search === '' || item.relativePath.toLowerCase().includes(search)),
          );
    // Queue order unless asked otherwise; a sorted view is a copy, the queue is not reordered.
    return this.#sort === 'added' ? shown : [...shown].sort(SORTS[this.#sort]);
  });

  get search(): string {
    return this.#search;
  }

  /** Shows only files whose name or folder holds this text (any case). */
  set search(value: string) {
    this.#search = value;
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

  readonly counts = $derived.by(() => {
    const counts: Record<Filter, number> = {
      all: this.#items.length,
      uploading: 0,
      processing: 0,
      waiting: 0,
      attention: 0,
      done: 0,
    };
    for (const item of this.#items) counts[groupOf(item.status)] += 1;
    return counts;
  });

  /**
   * The batch once nothing is left to happen by itself: its outcome, the bytes that went in, and
   * how long it took from the first file added to the last one settled. Null while it runs.
   */
  readonly ending = $derived.by(() => {
    const { outcome } = this.#totals;
    if (outcome.total === 0 || outcome.toGo > 0) return null;
    let bytes = 0;
    let first = Infinity;
    let last = 0;
    for (const item of this.#items) {
      if (item.status.kind === 'ready') bytes += item.size;
      first = Math.min(first, item.addedAt);
      last = Math.max(last, item.updatedAt);
    }
    return { outcome, bytes, seconds: Math.max(0, (last - first) / 1000), key: `${outcome.total}:${last}` };
  });

  /** For each waiting item, how many wait ahead of it ("Starts after 3 others"). */
  readonly ahead = $derived.by(() => {
    const ahead = new Map<string, number>();
    let waiting = 0;
    for (const item of this.#items) {
      if (item.status.kind === 'queued') ahead.set(item.id, waiting++);
    }
    return ahead;
  });

  get items(): readonly UploadItem[] {
    return this.#items;
  }

  get totals(): UploadTotals {
    return this.#totals;
  }

  get scan(): ScanState {
    return this.#scan;
  }

  get filter(): Filter {
    return this.#filter;
  }

  set filter(value: Filter) {
    this.#filter = value;
  }

  get source(): string | null {
    return this.#source;
  }

  set source(value: string | null) {
    this.#source = value;
  }

  get selected(): ReadonlySet<string> {
    return this.#selected;
  }

  /** The last thing worth telling the person about an action (a refusal, or what an add did). */
  get message(): string | null {
    return this.#message;
  }

  /** Main asks for Uploads to be shown (the end-of-batch notification was clicked). */
  onShowRequested(show: () => void): () => void {
    return api.onAppShowUploads(() => show());
  }

  start(): () => void {
    const stops = [
      api.onUploadsChanged((change) => {
        let next: UploadItem[] | null = null;
        for (const item of change.items) {
          const at = this.#index.get(item.id);
          next ??= [...this.#items];
          if (at === undefined) {
            this.#index.set(item.id, next.length);
            next.push(item);
          } else {
            next[at] = item;
          }
        }
        if (change.removed.length > 0) {
          const gone = new Set(change.removed);
          next = (next ?? [...this.#items]).filter((item) => !gone.has(item.id));
          this.#reindex(next);
          this.#selected = new Set([...this.#selected].filter((id) => !gone.has(id)));
        }
        if (next) this.#items = next;
        this.#totals = change.totals;
      }),
      api.onUploadsScan((scan) => {
        this.#scan = scan;
      }),
    ];
    void this.reload();
    return () => stops.forEach((stop) => stop());
  }

  async reload(): Promise<void> {
    const result = await api.uploadsList();
    if (!result.ok) {
      this.#message = result.message;
      return;
    }
    this.#items = result.value.items;
    this.#reindex(this.#items);
    this.#totals = result.value.totals;
  }

  #reindex(items: readonly UploadItem[]): void {
    this.#index = new Map(items.map((item, index) => [item.id, index]));
  }

  select(ids: Iterable<string>): void {
    this.#selected = new Set(ids);
  }

  toggle(id: string): void {
    const next = new Set(this.#selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.#selected = next;
  }

  async addFiles(): Promise<void> {
    this.#added(await api.uploadsPickFiles());
  }

  async addFolder(): Promise<void> {
    this.#added(await api.uploadsPickFolder());
  }

  async addDropped(files: readonly File[]): Promise<void> {
    this.#added(await api.uploadsAddDropped(files));
  }

  /** Links pasted or dropped as text; true when they were queued. */
  async addLinks(text: string): Promise<boolean> {
    const result = await api.uploadsAddLinks(text);
    this.#added(result, 'link');
    return result.ok;
  }

  async pickLinkList(): Promise<boolean> {
    const result = await api.uploadsPickLinkList();
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
    this.#message =
      `Added ${queued.toLocaleString()} ${queued === 1 ? noun : `${noun}s`}.` +
      (skipped > 0
        ? noun === 'link'
          ? ` Skipped ${skipped.toLocaleString()} already in the list.`
          : ` Skipped ${skipped.toLocaleString()} (already in the list, system files, sidecars, or unreadable).`
        : '');
  }

  async pause(selection: Selection): Promise<void> {
    await this.#act(api.uploadsPause(selection));
  }

  /** Sends these at once, even outside the upload window. */
  async uploadNow(ids: readonly string[]): Promise<void> {
    await this.#act(api.uploadsUploadNow([...ids]));
  }

  /** One listed item by id, without a pass over the list. */
  byId(id: string): UploadItem | undefined {
    const at = this.#index.get(id);
    return at === undefined ? undefined : this.#items[at];
  }

  async resume(selection: Selection): Promise<void> {
    await this.#act(api.uploadsResume(selection));
  }

  async retry(selection: Selection): Promise<void> {
    await this.#act(api.uploadsRetry(selection));
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.#act(api.uploadsRemove([...ids]));
  }

  async clearFinished(): Promise<void> {
    const result = await api.uploadsClearFinished();
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
    const result = await api.uploadsUndoClear();
    if (!result.ok) this.#message = result.message;
    else {
      const { restored } = result.value;
      this.#message = `Put back ${restored.toLocaleString()} ${restored === 1 ? 'file' : 'files'}.`;
    }
  }

  /** The batches this queue has seen, newest first (kept after their rows are cleared). */
  async history(): Promise<readonly BatchRecord[]> {
    const result = await api.uploadsHistory();
    if (result.ok) return result.value;
    this.#message = result.message;
    return [];
  }

  /** Writes a batch's report to a file the person picks, and says where. */
  async exportReport(batchId: string, format: ReportFormat): Promise<void> {
    const result = await api.uploadsExportReport(batchId, format);
    if (!result.ok) this.#message = result.message;
    else if (result.value) {
      const { count, path } = result.value;
      this.#message = `Saved the report of ${count.toLocaleString()} ${count === 1 ? 'file' : 'files'} to ${path}.`;
    }
  }

  /**
   * Removes a file from the list and, when `assetId` is given, deletes that asset from the
   * library first (one TwelveLabs kept though it could not process it).
   */
  async removeWithAsset(id: string, assetId: string | null): Promise<void> {
    if (assetId !== null) {
      const deleted = await api.libraryDelete([assetId], false);
      if (!deleted.ok) {
        this.#message = deleted.message;
        return;
      }
      if (deleted.value.inUse.length > 0) {
        this.#message = 'TwelveLabs kept the asset, because an index uses it; the file stays in the list.';
        return;
      }
    }
    await this.remove([id]);
  }

  async reveal(id: string): Promise<void> {
    await this.#act(api.uploadsReveal(id));
  }

  async #act(pending: Promise<Result<null>>): Promise<void> {
    const result = await pending;
    this.#message = result.ok ? null : result.message;
  }
}
