import { type PartsSent, type UploadItem, type UploadsChanged, type UploadTotals } from '../../shared/uploads';
import { publicItem, type JournalItem } from './journal';
import type { ItemTable } from './item-table';
import { QueueTally, type QueueBytes } from './queue-tally';
import { ProgressEstimate } from '../../shared/progress';
import type { CopyProgress } from '../../shared/upload-copy';

export interface ChangeFeedOptions {
  readonly items: ItemTable;
  readonly now: () => number;
  /** 250 ms is 4 a second: smooth to the eye, cheap over IPC. */
  readonly intervalMs: number;
  readonly emit: (change: UploadsChanged) => void;
  /** How many uploads are sending now; speed is sampled while any is, so it decays to zero. */
  readonly running: () => number;
  /** Outside the upload window: when it opens again. */
  readonly heldUntil: () => number | null;
  /** The queue is held (offline, key rejected, a full disk): no time left is given. */
  readonly held: () => boolean;
}

/** From this size a file gets its own speed and time left on its row. */
const LARGE_FILE = 64 * 1024 * 1024;

/**
 * The engine's outward view: live bytes per item (kept in memory between journal writes), which
 * items changed since the last event, and the totals, sent as one batched change event at most
 * once an interval however many items moved.
 */
export class ChangeFeed {
  readonly #options: ChangeFeedOptions;
  readonly #bytes = new Map<string, number>();
  /** Parts confirmed of a file sent in parts, while it uploads. */
  readonly #parts = new Map<string, PartsSent>();
  /** How far each upload copy being made is. */
  readonly #copies = new Map<string, CopyProgress>();
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  readonly #progress = new ProgressEstimate();
  /** A pace of its own for each large file uploading, and what was last sent of it. */
  readonly #paces = new Map<string, { estimate: ProgressEstimate; sent: string }>();
  /** The speed and time left last sent, so a change in them alone is sent too. */
  #sentPace = '';
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: ChangeFeedOptions) {
    this.#options = options;
  }

  /** `id` changed: it goes out with the next event. */
  touch(id: string): void {
    this.#dirty.add(id);
    this.soon();
  }

  /** `id` left the queue: listeners drop it with the next event. */
  removed(id: string): void {
    this.#bytes.delete(id);
    this.#parts.delete(id);
    this.#copies.delete(id);
    this.#dirty.delete(id);
    this.#removed.add(id);
    this.soon();
  }

  /** Bytes of `id` sent so far, as the upload reports them. */
  progress(id: string, bytes: number, parts?: PartsSent): void {
    this.#bytes.set(id, bytes);
    if (parts) this.#parts.set(id, parts);
    else this.#parts.delete(id);
    this.touch(id);
  }

  /** How far `id`'s upload copy is, while it is made; null once it is not. */
  copyProgress(id: string, progress: CopyProgress | null): void {
    if (progress) this.#copies.set(id, progress);
    else this.#copies.delete(id);
    this.touch(id);
  }

  /** Whether `id` has news not yet sent, or live figures: it is needed held until they go. */
  pending(id: string): boolean {
    return this.#dirty.has(id) || this.#bytes.has(id) || this.#copies.has(id);
  }

  /** Live bytes sent, or undefined when nothing moved since the journal's figure. */
  bytes(id: string): number | undefined {
    return this.#bytes.get(id);
  }

  /** Forgets the live figure (the file changed and starts again from zero). */
  forget(id: string): void {
    this.#bytes.delete(id);
    this.#parts.delete(id);
  }

  view(item: JournalItem): UploadItem {
    const view = publicItem(item, this.#bytes.get(item.id) ?? item.bytesSent);
    const copying = item.status.kind === 'copying' ? this.#copies.get(item.id) : undefined;
    if (copying) return { ...view, copyProgress: copying };
    if (item.status.kind !== 'uploading') return view;
    const pace = this.#paces.get(item.id)?.estimate;
    const parts = this.#parts.get(item.id);
    return {
      ...view,
      ...(pace && { pace: { bytesPerSecond: Math.round(pace.speed), secondsLeft: pace.secondsLeft } }),
      ...(parts && { parts }),
    };
  }

  /** Samples each large file's own pace; a row whose speed or time left moved goes out too. */
  #samplePaces(at: number, held: boolean): void {
    const { items } = this.#options;
    for (const [id] of this.#paces) if (items.get(id)?.status.kind !== 'uploading') this.#paces.delete(id);
    for (const id of items.uploading) {
      const item = items.get(id);
      if (!item || item.size < LARGE_FILE) continue;
      const pace = this.#paces.get(id) ?? { estimate: new ProgressEstimate(), sent: '' };
      this.#paces.set(id, pace);
      const bytes = this.#bytes.get(id) ?? item.bytesSent;
      pace.estimate.sample(at, bytes, item.size - bytes, held);
      const now = `${Math.round(pace.estimate.speed / 10_000)}:${pace.estimate.secondsLeft}`;
      if (now !== pace.sent) {
        pace.sent = now;
        this.#dirty.add(id);
      }
    }
  }

  totals(): UploadTotals {
    const { tally } = this.#options.items;
    const { files, filesDone, filesFailed, bytes, bytesDone } = this.#figures();
    return {
      files,
      filesDone,
      filesFailed,
      bytes,
      bytesDone,
      bytesPerSecond: Math.round(this.#progress.speed),
      scheduledUntil: this.#options.heldUntil(),
      secondsLeft: this.#progress.secondsLeft,
      recentSpeeds: this.#progress.history,
      outcome: tally.outcome(),
      indexes: tally.indexes(),
      paused: tally.paused(),
    };
  }

  /**
   * The queue's files and bytes from the table's running counts, with what moved since the
   * journal's figures added from the live bytes: costs the files moving, not the queue.
   */
  #figures(): QueueBytes & { readonly bytesDone: number } {
    const { items } = this.#options;
    const counted = items.tally.bytes();
    let moved = 0;
    for (const [id, bytes] of this.#bytes) {
      const item = items.get(id);
      if (item && QueueTally.onTheWay(item.status.kind)) moved += bytes - item.bytesSent;
    }
    return { ...counted, bytesDone: counted.bytesOfSent + counted.bytesOnTheWay + moved };
  }

  /** Drops live figures the item now holds itself (it stopped moving), so they never pile up. */
  #settle(): void {
    const { items } = this.#options;
    for (const [id, bytes] of this.#bytes) {
      const item = items.get(id);
      if (!item || (item.status.kind !== 'uploading' && item.bytesSent === bytes)) this.#bytes.delete(id);
    }
  }

  /** An event within the interval, if one is not already due. */
  soon(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#options.intervalMs);
  }

  /** Sends what is pending now, and no event after it. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#flush();
  }

  #flush(): void {
    const { items, now, emit, running, held, heldUntil } = this.#options;
    const { bytes, bytesFailed, bytesDone } = this.#figures();
    const sent = bytesDone;
    const left = bytes - bytesFailed - bytesDone;
    const isHeld = held() || heldUntil() !== null;
    this.#progress.sample(now(), sent, left, isHeld);
    this.#samplePaces(now(), isHeld);
    const changed = [...this.#dirty].flatMap((id) => {
      const item = items.get(id);
      return item ? [this.view(item)] : [];
    });
    this.#settle();
    const removed = [...this.#removed];
    this.#dirty.clear();
    this.#removed.clear();
    const pace = `${Math.round(this.#progress.speed / 1000)}:${this.#progress.secondsLeft}`;
    if (changed.length > 0 || removed.length > 0 || pace !== this.#sentPace) {
      this.#sentPace = pace;
      emit({ items: changed, removed, totals: this.totals() });
    }
    // Keep sampling while anything moves, and until the speed has fallen to nothing.
    if (running() > 0 || this.#progress.speed > 0) this.soon();
  }
}
