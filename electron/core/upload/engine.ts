import { randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { plainError } from '../../shared/error-catalogue';
import type { MediaKind, UploadItem, UploadStatus, UploadStrategy, UploadTotals } from '../../shared/uploads';
import { isFinished } from '../../shared/uploads';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { Journal, JournalItem } from '../store/journal';
import { uploadMultipart } from './multipart';
import { backoffDelay, retrying, sleep, type RetryPolicy } from './retry';
import { BandwidthLimiter, fileRange, RateMeter } from './throughput';

/** The settings the engine reads live (each time it schedules), so changes apply without a restart. */
export interface EngineSettings {
  readonly filesInFlight: number;
  readonly chunksInFlight: number;
  readonly bandwidthLimit: number;
  readonly multipartThreshold: number;
  readonly enableHls: boolean;
  readonly enableThumbnail: boolean;
}

export interface EngineOptions {
  readonly journal: Journal;
  readonly client: ApiClient;
  readonly settings: () => EngineSettings;
  readonly now?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  /** First wait between processing checks; it grows by half each time up to `pollMaxMs`. */
  readonly pollIntervalMs?: number;
  readonly pollMaxMs?: number;
  /**
   * Chunks per report call. 8 keeps at most 8 chunks' worth of work unconfirmed on the server
   * while costing one small request per 8 chunks (a 1 GiB file at 5 MiB chunks: 26 reports).
   */
  readonly reportBatchSize?: number;
  /** A request that moves no byte for this long is aborted and retried. */
  readonly stallMs?: number;
  /** Change events at most this often: 250 ms is 4 a second, smooth to the eye, cheap over IPC. */
  readonly eventIntervalMs?: number;
}

/** A file to queue, as a scan found it. */
export interface FileToAdd {
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: MediaKind | null;
  readonly mime: string;
}

/** What listeners get, at most four times a second: only what changed, plus totals. */
export interface UploadsChange {
  readonly items: readonly UploadItem[];
  readonly removed: readonly string[];
  readonly totals: UploadTotals;
}

/** Which items an action applies to: a list of ids, or every item it makes sense for. */
export type Selection = readonly string[] | 'all';

/** Why a running upload was stopped, carried as the abort reason. */
type StopReason = 'paused' | 'cancelled' | 'closing' | 'removed';

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** Semaphore with a limit read on every acquire, so the chunk setting applies at once. */
class Slots {
  #used = 0;
  readonly #waiting = new Set<() => void>();

  constructor(private readonly limit: () => number) {}

  async acquire(signal: AbortSignal): Promise<() => void> {
    while (this.#used >= this.limit()) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        // An aborted waiter leaves the line, so a later release is not spent on it.
        const onAbort = () => {
          this.#waiting.delete(wake);
          reject(signal.reason);
        };
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        this.#waiting.add(wake);
      });
    }
    this.#used += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used -= 1;
      const [next] = this.#waiting;
      if (next) {
        this.#waiting.delete(next);
        next();
      }
    };
  }
}

/**
 * The upload engine: a durable queue (the SQLite journal) worked by a scheduler with caps on files
 * and chunks in flight, streaming direct and multipart uploads, following each asset until it is
 * ready, and reporting progress as batched change events. The app, the CLI and tests all run it.
 */
export class UploadEngine extends EventEmitter<{ change: [UploadsChange]; idle: [] }> {
  readonly #journal: Journal;
  readonly #client: ApiClient;
  readonly #settings: () => EngineSettings;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  readonly #pollIntervalMs: number;
  readonly #pollMaxMs: number;
  readonly #reportBatchSize: number;
  readonly #stallMs: number;
  readonly #eventIntervalMs: number;
  readonly #items = new Map<string, JournalItem>();
  readonly #running = new Map<string, Running>();
  readonly #following = new Map<string, AbortController>();
  readonly #progress = new Map<string, number>();
  readonly #chunkSlots: Slots;
  readonly #limiter: BandwidthLimiter;
  readonly #rate = new RateMeter();
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  #eventTimer: NodeJS.Timeout | undefined;
  #started = false;
  #closed = false;
  /** `whenIdle()` callers, released when nothing is waiting, uploading or processing. */
  #idleWaiters: (() => void)[] = [];

  private constructor(options: EngineOptions) {
    super();
    this.#journal = options.journal;
    this.#client = options.client;
    this.#settings = options.settings;
    this.#now = options.now ?? Date.now;
    this.#retry = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, random: Math.random, ...options.retry };
    this.#pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.#pollMaxMs = options.pollMaxMs ?? 30_000;
    this.#reportBatchSize = options.reportBatchSize ?? 8;
    this.#stallMs = options.stallMs ?? 60_000;
    this.#eventIntervalMs = options.eventIntervalMs ?? 250;
    this.#chunkSlots = new Slots(() => this.#settings().chunksInFlight);
    this.#limiter = new BandwidthLimiter(() => this.#settings().bandwidthLimit);
  }

  /** Loads the queue from the journal. Uploads that were running when the process died go back to waiting. */
  static async open(options: EngineOptions): Promise<UploadEngine> {
    const engine = new UploadEngine(options);
    for (const item of await options.journal.items()) {
      let current = item;
      if (item.status.kind === 'uploading') {
        current = { ...item, status: { kind: 'queued' } };
        await options.journal.setStatus(item.id, current.status, engine.#now());
      }
      engine.#items.set(item.id, current);
    }
    return engine;
  }

  /** Starts working the queue (and following assets still processing on the server). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const item of this.#items.values()) {
      if (item.status.kind === 'processing') this.#follow(item.id, item.status.assetId);
    }
    this.#pump();
  }

  items(): UploadItem[] {
    return [...this.#items.values()].sort((a, b) => a.position - b.position).map((item) => this.#view(item));
  }

  item(id: string): UploadItem | undefined {
    const item = this.#items.get(id);
    return item && this.#view(item);
  }

  /**
   * Queues files. A file already waiting or uploading is not queued twice; a file that is not
   * video, audio or an image is recorded as rejected with the reason, so nothing added is lost.
   */
  async add(
    files: readonly FileToAdd[],
    options: { batchId?: string; metadata?: JournalItem['userMetadata'] } = {},
  ): Promise<string[]> {
    const batchId = options.batchId ?? randomUUID();
    const fresh = [];
    const seen = new Set<string>();
    for (const file of files) {
      if (seen.has(file.path) || (await this.#journal.activeIdsForPath(file.path)).length > 0) continue;
      seen.add(file.path);
      fresh.push({
        id: randomUUID(),
        batchId,
        path: file.path,
        relativePath: file.relativePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        kind: file.kind ?? 'video',
        mime: file.mime,
        strategy: this.#strategyFor(file),
        userMetadata: options.metadata ?? {},
        rejected: file.kind === null,
      });
    }
    await this.#journal.addItems(fresh, this.#now());
    for (const entry of fresh) {
      if (entry.rejected) {
        await this.#journal.setStatus(
          entry.id,
          { kind: 'rejected', code: 'unsupported_type', message: plainError('unsupported_type').message },
          this.#now(),
        );
      }
      const stored = await this.#journal.item(entry.id);
      if (stored) {
        this.#items.set(entry.id, stored);
        this.#touch(entry.id);
      }
    }
    this.#pump();
    return fresh.map((entry) => entry.id);
  }

  #strategyFor(file: FileToAdd): UploadStrategy {
    const { multipartThreshold } = this.#settings();
    return file.kind !== 'image' && file.size >= multipartThreshold ? 'multipart' : 'direct';
  }

  /** Pauses waiting or running items; a running multipart upload reports what it has first. */
  async pause(selection: Selection = 'all'): Promise<void> {
    const ids = this.#select(selection, (s) => s.kind === 'queued' || s.kind === 'uploading');
    await Promise.all(ids.map((id) => this.#stop(id, 'paused')));
    for (const id of ids) await this.#setStatus(id, { kind: 'paused' });
  }

  async resume(selection: Selection = 'all'): Promise<void> {
    for (const id of this.#select(selection, (s) => s.kind === 'paused')) await this.#setStatus(id, { kind: 'queued' });
    this.#pump();
  }

  /** Stops items for good; their multipart sessions are forgotten once any report in flight has landed. */
  async cancel(selection: Selection = 'all'): Promise<void> {
    const ids = this.#select(selection, (s) => s.kind === 'queued' || s.kind === 'uploading' || s.kind === 'paused');
    await Promise.all(ids.map((id) => this.#stop(id, 'cancelled')));
    for (const id of ids) {
      await this.#journal.dropSession(id);
      this.#progress.delete(id);
      await this.#journal.setBytesSent(id, 0);
      await this.#setStatus(id, { kind: 'cancelled' });
    }
  }

  /** Puts failed or cancelled items back in the queue, re-reading the file's size and time. */
  async retry(selection: Selection = 'all'): Promise<void> {
    const ids = this.#select(selection, (s) => s.kind === 'failed' || s.kind === 'cancelled');
    for (const id of ids) await this.#setStatus(id, { kind: 'queued' });
    this.#pump();
  }

  /** Removes items from the list (stopping them first); their assets, if any, stay in the library. */
  async remove(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.#stop(id, 'removed')));
    for (const id of ids) this.#following.get(id)?.abort('removed');
    await this.#journal.removeItems(ids);
    for (const id of ids) {
      if (this.#items.delete(id)) this.#removed.add(id);
      this.#progress.delete(id);
    }
    this.#schedule();
    this.#pump();
  }

  /** Removes every finished item (ready, failed, rejected, cancelled). */
  async clearFinished(): Promise<void> {
    await this.remove([...this.#items.values()].filter((item) => isFinished(item.status)).map((item) => item.id));
  }

  async moveToTop(ids: readonly string[]): Promise<void> {
    await this.#journal.moveToTop(ids);
    for (const id of ids) {
      const stored = await this.#journal.item(id);
      if (stored) this.#items.set(id, stored);
      this.#touch(id);
    }
  }

  totals(): UploadTotals {
    let files = 0;
    let filesDone = 0;
    let filesFailed = 0;
    let bytes = 0;
    let bytesDone = 0;
    for (const item of this.#items.values()) {
      const { kind } = item.status;
      if (kind === 'cancelled' || kind === 'rejected') continue;
      files += 1;
      bytes += item.size;
      if (kind === 'ready' || kind === 'processing') {
        filesDone += kind === 'ready' ? 1 : 0;
        bytesDone += item.size;
      } else if (kind === 'failed') {
        filesFailed += 1;
      } else {
        bytesDone += this.#progress.get(item.id) ?? item.bytesSent;
      }
    }
    const rate = this.#rate.rate;
    const left = bytes - bytesDone;
    return {
      files,
      filesDone,
      filesFailed,
      bytes,
      bytesDone,
      bytesPerSecond: Math.round(rate),
      secondsLeft: rate > 1 && this.#running.size > 0 ? Math.round(left / rate) : null,
    };
  }

  /** Resolves when nothing is waiting, uploading or processing. */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops everything cleanly for quit: running uploads report what they have and go back to
   * waiting in the journal, so the next start resumes where this one stopped.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const controller of this.#following.values()) controller.abort('closing');
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id, 'closing')));
    clearTimeout(this.#eventTimer);
    this.#flushEvents();
  }

  #isIdle(): boolean {
    return ![...this.#items.values()].some((item) => ['queued', 'uploading', 'processing'].includes(item.status.kind));
  }

  #select(selection: Selection, applies: (status: UploadStatus) => boolean): string[] {
    const ids = selection === 'all' ? [...this.#items.keys()] : selection;
    return ids.filter((id) => {
      const item = this.#items.get(id);
      return item !== undefined && applies(item.status);
    });
  }

  async #stop(id: string, reason: StopReason): Promise<void> {
    const running = this.#running.get(id);
    if (!running) return;
    running.controller.abort(reason);
    await running.done;
  }

  async #setStatus(id: string, status: UploadStatus): Promise<void> {
    const item = this.#items.get(id);
    if (!item) return;
    await this.#journal.setStatus(id, status, this.#now());
    const bytesSent = this.#progress.get(id) ?? item.bytesSent;
    this.#items.set(id, { ...item, status, bytesSent, updatedAt: this.#now() });
    this.#touch(id);
    if (this.#isIdle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
      this.emit('idle');
    }
  }

  /** Starts waiting items, in queue order, while file slots are free. */
  #pump(): void {
    if (!this.#started || this.#closed) return;
    const waiting = [...this.#items.values()]
      .filter((item) => item.status.kind === 'queued' && !this.#running.has(item.id))
      .sort((a, b) => a.position - b.position);
    for (const item of waiting) {
      if (this.#running.size >= this.#settings().filesInFlight) break;
      const controller = new AbortController();
      // Every chunk worker of a file listens on this signal; dozens of listeners are expected.
      setMaxListeners(64, controller.signal);
      const done = this.#run(item.id, controller).finally(() => {
        this.#running.delete(item.id);
        this.#pump();
      });
      this.#running.set(item.id, { controller, done });
    }
  }

  async #run(id: string, controller: AbortController): Promise<void> {
    const { signal } = controller;
    try {
      await this.#setStatus(id, { kind: 'uploading' });
      const item = await this.#checkFile(id);
      const settings = this.#settings();
      const assetId =
        item.strategy === 'multipart'
          ? await uploadMultipart({
              item,
              client: this.#client,
              journal: this.#journal,
              signal,
              retry: this.#retry,
              limiter: this.#limiter,
              now: this.#now,
              enableHls: settings.enableHls,
              enableThumbnail: settings.enableThumbnail,
              reportBatchSize: this.#reportBatchSize,
              stallMs: this.#stallMs,
              acquireChunkSlot: (s) => this.#chunkSlots.acquire(s),
              onProgress: (bytes) => this.#onProgress(id, bytes),
              onNotice: () => this.#touch(id),
            })
          : await this.#uploadDirect(item, controller);
      this.#progress.set(id, item.size);
      await this.#journal.setBytesSent(id, item.size);
      await this.#setStatus(id, { kind: 'processing', assetId });
      this.#follow(id, assetId);
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : null;
      await this.#journal.setBytesSent(id, this.#progress.get(id) ?? 0).catch(() => undefined);
      if (reason === 'closing') {
        await this.#journal.setStatus(id, { kind: 'queued' }, this.#now());
      } else if (reason === null) {
        await this.#setStatus(id, this.#failure(error));
      }
      // paused, cancelled and removed: the caller sets the status once the stop has finished.
    }
  }

  /** Re-reads the file before sending: a new version starts from zero, a missing one fails with a reason. */
  async #checkFile(id: string): Promise<JournalItem> {
    const item = this.#items.get(id)!;
    const info = await stat(item.path).catch(() => null);
    if (!info) throw new ApiError('http', 'The file is no longer where it was.', null, 'file_missing');
    if (info.size === item.size && info.mtimeMs === item.mtimeMs) return item;
    await this.#journal.dropSession(id);
    await this.#journal.updateFileFacts(id, info.size, info.mtimeMs);
    this.#progress.delete(id);
    const updated = { ...item, size: info.size, mtimeMs: info.mtimeMs, bytesSent: 0 };
    this.#items.set(id, updated);
    return updated;
  }

  /**
   * `POST /assets` streamed from disk. Before a retry after a lost response, the library is asked
   * whether the earlier attempt created the asset after all, so nothing is created twice.
   */
  async #uploadDirect(item: JournalItem, controller: AbortController): Promise<string> {
    const settings = this.#settings();
    const since = item.attemptStartedAt;
    if (since !== null) {
      const existing = await this.#findCreated(item, since);
      if (existing) return existing;
    }
    return retrying(
      async (attempt) => {
        if (attempt > 0) {
          const existing = await this.#findCreated(item, this.#items.get(item.id)?.attemptStartedAt ?? this.#now());
          if (existing) return existing;
        }
        const startedAt = this.#now();
        await this.#journal.setAttemptStarted(item.id, startedAt);
        this.#items.set(item.id, { ...this.#items.get(item.id)!, attemptStartedAt: startedAt });
        const attemptController = new AbortController();
        const forward = () => attemptController.abort(controller.signal.reason);
        controller.signal.addEventListener('abort', forward, { once: true });
        let sent = 0;
        try {
          const asset = await this.#client.createAssetDirect({
            filename: item.name,
            mime: item.mime,
            size: item.size,
            enableHls: settings.enableHls,
            enableThumbnail: settings.enableThumbnail,
            userMetadata: item.userMetadata,
            signal: attemptController.signal,
            file: () =>
              fileRange(item.path, 0, item.size, {
                onBytes: (bytes) => {
                  sent += bytes;
                  this.#onProgress(item.id, sent);
                },
                limiter: this.#limiter,
                controller: attemptController,
                stallMs: this.#stallMs,
              }),
          });
          await this.#journal.setAttemptStarted(item.id, null);
          return asset._id;
        } catch (error) {
          if (attemptController.signal.aborted && !controller.signal.aborted) throw attemptController.signal.reason;
          throw error;
        } finally {
          controller.signal.removeEventListener('abort', forward);
        }
      },
      this.#retry,
      controller.signal,
      () => this.#onProgress(item.id, 0),
    );
  }

  /** An asset with this file's name created since the attempt began, not claimed by another item. */
  async #findCreated(item: JournalItem, since: number): Promise<string | null> {
    const claimed = new Set(
      [...this.#items.values()].flatMap((other) =>
        other.id !== item.id && (other.status.kind === 'processing' || other.status.kind === 'ready')
          ? [other.status.assetId]
          : [],
      ),
    );
    // Two seconds of slack for a server clock that runs slightly behind ours.
    const after = since - 2000;
    const page = await retrying(() => this.#client.listAssets({ filename: item.name, pageLimit: 50 }), this.#retry);
    const match = page.data.find(
      (asset) => asset.filename === item.name && Date.parse(asset.created_at) >= after && !claimed.has(asset._id),
    );
    return match?._id ?? null;
  }

  /** Polls the asset with growing waits until it is `ready` or `failed`; runs outside the file slots. */
  #follow(id: string, assetId: string): void {
    const controller = new AbortController();
    this.#following.set(id, controller);
    void (async () => {
      let wait = this.#pollIntervalMs;
      for (let attempt = 0; !controller.signal.aborted; attempt += 1) {
        try {
          const asset = await this.#client.getAsset(assetId, controller.signal);
          if (asset.status === 'ready') {
            await this.#setStatus(id, { kind: 'ready', assetId });
            return;
          }
          if (asset.status === 'failed') {
            await this.#setStatus(id, {
              kind: 'failed',
              code: 'processing_failed',
              message: plainError('processing_failed').message,
              ...(asset.error?.message && { detail: asset.error.message }),
              retryable: false,
            });
            return;
          }
          await sleep(wait, controller.signal);
          wait = Math.min(this.#pollMaxMs, wait * 1.5);
        } catch (error) {
          if (controller.signal.aborted) return;
          if (error instanceof ApiError && !error.transient) {
            await this.#setStatus(id, this.#failure(error));
            return;
          }
          await sleep(backoffDelay(attempt, this.#retry) + wait, controller.signal).catch(() => undefined);
        }
      }
    })().finally(() => {
      if (this.#following.get(id) === controller) this.#following.delete(id);
    });
  }

  /** Maps any error to a failed status with plain words and whether retrying can help. */
  #failure(error: unknown): UploadStatus {
    if (error instanceof ApiError) {
      const code =
        error.kind === 'network' || error.kind === 'stalled'
          ? 'network'
          : (error.status ?? 0) >= 500
            ? 'server_error'
            : (error.code ?? 'unknown');
      const plain = plainError(code);
      return {
        kind: 'failed',
        code,
        message: plain.message,
        detail: error.message,
        retryable: plain.retryable || error.transient,
      };
    }
    return {
      kind: 'failed',
      code: 'unknown',
      message: `${plainError('unknown').message} (${String(error)})`,
      retryable: true,
    };
  }

  #onProgress(id: string, bytes: number): void {
    this.#progress.set(id, bytes);
    this.#touch(id);
  }

  #view(item: JournalItem): UploadItem {
    return {
      id: item.id,
      batchId: item.batchId,
      path: item.path,
      relativePath: item.relativePath,
      name: item.name,
      size: item.size,
      kind: item.kind,
      strategy: item.strategy,
      status: item.status,
      bytesSent: this.#progress.get(item.id) ?? item.bytesSent,
      addedAt: item.addedAt,
      updatedAt: item.updatedAt,
    };
  }

  #touch(id: string): void {
    this.#dirty.add(id);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#eventTimer || this.#closed) return;
    this.#eventTimer = setTimeout(() => {
      this.#eventTimer = undefined;
      this.#flushEvents();
    }, this.#eventIntervalMs);
  }

  #flushEvents(): void {
    const total = [...this.#items.values()].reduce(
      (sum, item) => sum + (this.#progress.get(item.id) ?? (item.status.kind === 'uploading' ? item.bytesSent : 0)),
      0,
    );
    this.#rate.sample(total, this.#now());
    const items = [...this.#dirty].flatMap((id) => {
      const item = this.#items.get(id);
      return item ? [this.#view(item)] : [];
    });
    const removed = [...this.#removed];
    this.#dirty.clear();
    this.#removed.clear();
    if (items.length > 0 || removed.length > 0) this.emit('change', { items, removed, totals: this.totals() });
    // Keep sampling while anything moves, so the smoothed speed decays to zero when it stops.
    if (this.#running.size > 0) this.#schedule();
  }
}
