import { randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { plainError } from '../../shared/error-catalogue';
import { LIMITS } from '../../shared/limits';
import { CONTENT_HASH_KEY } from '../../shared/metadata';
import type { MediaKind, UploadItem, UploadStatus, UploadStrategy, UploadTotals } from '../../shared/uploads';
import { batchOutcome } from '../../shared/batch';
import { can, canMove } from '../../shared/upload-status';
import { groupOf } from '../../shared/uploads';
import { bandwidthAt, nextBandwidthChange, nextWindowChange, windowOpen, type Schedule } from '../../shared/schedule';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import type { WireAssetDetail } from '../api/types';
import { linkIdentity } from '../media/link-check';
import { describeFacts } from '../media/probe';
import type { CheckResult } from '../media/preflight';
import type { FileToAdd } from '../media/intake';
import type { Rejection } from '../media/rules';
import { publicItem, type Journal, type JournalItem } from '../store/journal';
import { storageProblem } from '../store/storage-failure';
import { FollowThrough } from './follow-through';
import { uploadMultipart } from './multipart';
import { retrying, type RetryPolicy } from '../api/retry';
import { ConnectionGate } from '../api/gate';
import { BandwidthLimiter, ChunkBuffers, fileRange, RateMeter } from './throughput';

/** The settings the engine reads live (each time it schedules), so changes apply without a restart. */
export interface EngineSettings {
  readonly filesInFlight: number;
  readonly chunksInFlight: number;
  readonly bandwidthLimit: number;
  readonly multipartThreshold: number;
  readonly enableHls: boolean;
  readonly enableThumbnail: boolean;
  /** When uploads may run and how fast (none: any time, at `bandwidthLimit`). */
  readonly schedule?: Schedule;
}

export interface EngineOptions {
  readonly journal: Journal;
  readonly client: ApiClient;
  /**
   * The gate the client reports to (see `connect`). Requests wait there through rate limits,
   * outages and a rejected key instead of failing; without one, those count as failed attempts.
   */
  readonly gate?: ConnectionGate;
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
  /** How often files that went missing (an unplugged drive) are looked for again. */
  readonly fileCheckMs?: number;
  /** A presigned URL with less than this left is replaced before use. */
  readonly urlMarginMs?: number | undefined;
  /**
   * Reads each added file before it may upload (type, probe, rules, content hash). Without it,
   * files are queued as the caller typed them: the transport tests send random bytes as "video".
   */
  readonly check?: (item: CheckTarget, signal: AbortSignal) => Promise<CheckResult>;
  /**
   * Files checked at the same time. Probing is mostly waiting on the disk, and each check keeps one
   * MediaInfo instance busy; 4 keeps a folder of 10,000 small files moving without starving uploads.
   */
  readonly checksInFlight?: number;
  /** An asset in the library (the library cache) with this content hash, for duplicate detection. */
  readonly findAsset?: (sha256: string) => Promise<{ readonly assetId: string; readonly name: string } | null>;
}

/** What a check is given: a file's path, or a link (strategy `url`) as its path. */
export interface CheckTarget {
  readonly path: string;
  readonly size: number;
  readonly strategy: UploadStrategy;
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
type StopReason = 'paused' | 'cancelled' | 'closing' | 'removed' | 'schedule';

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

/** Without a check, a file whose first bytes are not media is refused at once. */
const unsupported: Rejection = { code: 'unsupported_type', message: plainError('unsupported_type').message };

/**
 * Memory for chunks read ahead of sending, shared by every upload: six 5 MiB chunks in flight, with
 * room for twice that; past it chunks stream from disk (a server's larger chunks, or many in flight).
 */
const CHUNK_BUFFER_BUDGET = 64 * 1024 * 1024;

/** States in which an item will not, by itself, give the library its content. */
const GIVES_UP: ReadonlySet<UploadStatus['kind']> = new Set(['failed', 'cancelled', 'rejected']);

const ACTIVE_KINDS: ReadonlySet<UploadStatus['kind']> = new Set(['checking', 'queued', 'uploading', 'processing']);

/**
 * The queue in memory, with the questions the scheduler asks on every change answered without a
 * scan: which items wait, is anything still to do, which items have this content. Keeps
 * 10,000-file queues linear.
 */
class ItemTable {
  readonly #items = new Map<string, JournalItem>();
  readonly #byHash = new Map<string, Set<string>>();
  /** Ids waiting to start, in insertion order. */
  readonly queued = new Set<string>();
  /** Ids waiting for their check, in insertion order. */
  readonly checking = new Set<string>();
  readonly #active = new Set<string>();

  get(id: string): JournalItem | undefined {
    return this.#items.get(id);
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<JournalItem> {
    return this.#items.values();
  }

  /** Items whose content hashes to `sha256`. */
  withHash(sha256: string): JournalItem[] {
    return [...(this.#byHash.get(sha256) ?? [])].flatMap((id) => this.#items.get(id) ?? []);
  }

  set(id: string, item: JournalItem): void {
    this.#unhash(id);
    this.#items.set(id, item);
    this.#index(id, item.status.kind);
    if (item.sha256) {
      const ids = this.#byHash.get(item.sha256) ?? new Set<string>();
      this.#byHash.set(item.sha256, ids.add(id));
    }
  }

  delete(id: string): boolean {
    this.#unhash(id);
    this.queued.delete(id);
    this.checking.delete(id);
    this.#active.delete(id);
    return this.#items.delete(id);
  }

  #unhash(id: string): void {
    const sha256 = this.#items.get(id)?.sha256;
    if (!sha256) return;
    const ids = this.#byHash.get(sha256);
    ids?.delete(id);
    if (ids?.size === 0) this.#byHash.delete(sha256);
  }

  get idle(): boolean {
    return this.#active.size === 0;
  }

  #index(id: string, kind: UploadStatus['kind']): void {
    if (kind === 'queued') this.queued.add(id);
    else this.queued.delete(id);
    if (kind === 'checking') this.checking.add(id);
    else this.checking.delete(id);
    if (ACTIVE_KINDS.has(kind)) this.#active.add(id);
    else this.#active.delete(id);
  }
}

/**
 * The upload engine: a durable queue (the SQLite journal) worked by a scheduler with caps on files
 * and chunks in flight, streaming direct and multipart uploads, following each asset until it is
 * ready, and reporting progress as batched change events. The app, the CLI and tests all run it.
 */
export class UploadEngine extends EventEmitter<{
  change: [UploadsChange];
  idle: [];
  /** An uploaded asset TwelveLabs finished with (ready or failed), as the server described it. */
  processed: [WireAssetDetail];
}> {
  readonly #journal: Journal;
  readonly #client: ApiClient;
  /** Open, rate-limited, offline or key-rejected; the window's status bar follows it. */
  readonly gate: ConnectionGate;
  readonly #settings: () => EngineSettings;
  readonly #now: () => number;
  readonly #retry: RetryPolicy & { readonly gated: boolean };
  readonly #reportBatchSize: number;
  readonly #stallMs: number;
  readonly #eventIntervalMs: number;
  readonly #fileCheckMs: number;
  readonly #urlMarginMs: number | undefined;
  readonly #check: EngineOptions['check'];
  readonly #checksInFlight: number;
  readonly #findAsset: EngineOptions['findAsset'];
  readonly #checkRunning = new Map<string, Running>();
  /**
   * Checks end in any order, but what follows from them is decided one at a time, so two copies
   * of the same file checked side by side cannot both miss each other and both upload.
   */
  #decisions: Promise<void> = Promise.resolve();
  #fileTimer: NodeJS.Timeout | undefined;
  readonly #items = new ItemTable();
  readonly #illegalMoves: string[] = [];
  /** Content hashes of items just removed, until their waiting copies are released. */
  readonly #gone = new Map<string, string>();
  readonly #running = new Map<string, Running>();
  readonly #followThrough: FollowThrough;
  readonly #progress = new Map<string, number>();
  readonly #chunkSlots: Slots;
  readonly #limiter: BandwidthLimiter;
  readonly #buffers = new ChunkBuffers(CHUNK_BUFFER_BUDGET);
  readonly #rate = new RateMeter();
  readonly #dirty = new Set<string>();
  readonly #removed = new Set<string>();
  #eventTimer: NodeJS.Timeout | undefined;
  #scheduleTimer: NodeJS.Timeout | undefined;
  /** Outside the upload window: when it opens again (null: uploads may run). */
  #heldUntil: number | null = null;
  /** Asked to upload now, whatever the schedule says. */
  readonly #uploadNow = new Set<string>();
  #started = false;
  #closed = false;
  #idleCheck: NodeJS.Immediate | undefined;
  /** `whenIdle()` callers, released when nothing is waiting, uploading or processing. */
  #idleWaiters: (() => void)[] = [];

  private constructor(options: EngineOptions) {
    super();
    this.#journal = options.journal;
    this.#client = options.client;
    this.gate = options.gate ?? new ConnectionGate({ probe: () => options.client.probe() });
    this.#settings = options.settings;
    this.#now = options.now ?? Date.now;
    this.#retry = {
      attempts: 6,
      baseDelayMs: 1000,
      maxDelayMs: 30_000,
      random: Math.random,
      gated: options.gate !== undefined,
      ...options.retry,
    };
    this.#followThrough = new FollowThrough({
      client: this.#client,
      gate: this.gate,
      retry: this.#retry,
      now: this.#now,
      intervalMs: options.pollIntervalMs ?? 2000,
      maxMs: options.pollMaxMs ?? 30_000,
      finished: (id, asset) => this.#processed(id, asset),
      lost: (id, error) => this.#setStatus(id, this.#failure(error)),
      held: (error) => this.#holdIfStorage(error),
    });
    // `npm run bench -- baselines` sweeps chunks per report on a 256 MiB file: 1: 207, 8: 219,
    // 32: 213 MiB/s, within the noise over loopback; 8 costs an eighth of the requests of 1 and
    // leaves at most 8 chunks unconfirmed on the server (see `reportBatchSize` above).
    this.#reportBatchSize = options.reportBatchSize ?? 8;
    this.#stallMs = options.stallMs ?? 60_000;
    this.#eventIntervalMs = options.eventIntervalMs ?? 250;
    this.#fileCheckMs = options.fileCheckMs ?? 5000;
    this.#urlMarginMs = options.urlMarginMs;
    this.#check = options.check;
    this.#checksInFlight = options.checksInFlight ?? 4;
    this.#findAsset = options.findAsset;
    this.#chunkSlots = new Slots(() =>
      Math.max(1, Math.floor(this.#settings().chunksInFlight * this.gate.concurrencyFactor())),
    );
    this.gate.on('change', () => {
      this.#pumpChecks();
      this.#pump();
    });
    // The timetable's limit for now when there is one, else the setting.
    this.#limiter = new BandwidthLimiter(() => {
      const { schedule, bandwidthLimit } = this.#settings();
      return (schedule && bandwidthAt(schedule, this.#now())) ?? bandwidthLimit;
    });
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
      if (item.status.kind === 'processing') this.#followThrough.follow(item.id, item.status.assetId);
    }
    this.#watchMissingFiles();
    this.#pumpChecks();
    this.#pump();
  }

  /** Files on a drive that went away wait; when the file is back, the item goes back in the queue. */
  #watchMissingFiles(): void {
    this.#fileTimer = setTimeout(async () => {
      for (const item of [...this.#items.values()]) {
        if (item.status.kind !== 'file-missing') continue;
        if (await stat(item.path).catch(() => null)) {
          // Not saved: it stays file-missing, and is looked at again once the queue can be written.
          await this.#setStatus(item.id, { kind: 'queued' }).catch((error) => this.#unlessStorage(error));
        }
      }
      this.#pump();
      if (!this.#closed) this.#watchMissingFiles();
    }, this.#fileCheckMs);
    this.#fileTimer.unref();
  }

  /**
   * Multipart sessions on the server that no queue item knows (from another machine, or from
   * before the journal was cleared). The API has no call to abort them; they expire after 24 hours,
   * so they are listed for the log and diagnostics rather than touched.
   */
  async orphanedSessions(): Promise<string[]> {
    const known = await this.#journal.sessionUploadIds();
    const orphans: string[] = [];
    for (let page = 1; page <= 20; page += 1) {
      const result = await this.#client.listIncompleteUploads(page, 50);
      for (const session of result.data) if (!known.has(session.upload_id)) orphans.push(session.upload_id);
      if (result.data.length === 0 || page >= result.pageInfo.total_page) break;
    }
    return orphans;
  }

  /** Moves applied that `MOVES` does not allow (none, unless there is a bug). */
  illegalMoves(): readonly string[] {
    return this.#illegalMoves;
  }

  items(): UploadItem[] {
    return [...this.#items.values()].sort((a, b) => a.position - b.position).map((item) => this.#view(item));
  }

  item(id: string): UploadItem | undefined {
    const item = this.#items.get(id);
    return item && this.#view(item);
  }

  /**
   * Queues files. A file already in the list (and not failed or cancelled) is not queued twice.
   * With a check, each file is read before it may upload; without one, a file that is not video,
   * audio or an image is recorded as rejected with the reason. Nothing added is lost.
   */
  async add(files: readonly FileToAdd[], options: { batchId?: string } = {}): Promise<string[]> {
    const batchId = options.batchId ?? randomUUID();
    // Held in memory, so checking 10,000 files for duplicates costs no query per file.
    const active = new Set(
      [...this.#items.values()]
        .filter((item) => !['failed', 'cancelled'].includes(item.status.kind))
        .map((item) => item.path),
    );
    const fresh = [];
    const refused = new Map<string, UploadStatus>();
    for (const file of files) {
      if (active.has(file.path)) continue;
      active.add(file.path);
      const refusal = file.problem ?? (file.kind === null && !this.#check ? unsupported : null);
      if (refusal) refused.set(file.path, { kind: 'rejected', code: refusal.code, message: refusal.message });
      fresh.push({
        id: randomUUID(),
        batchId,
        path: file.path,
        relativePath: file.relativePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        kind: file.kind ?? 'video',
        mime: file.mime,
        strategy: file.strategy ?? this.#strategyFor(file),
        userMetadata: file.userMetadata ?? {},
        status: this.#check ? ('checking' as const) : ('queued' as const),
        ...(file.watchFolder !== undefined && { watchFolder: file.watchFolder }),
      });
    }
    const stored = await this.#journal.addItems(fresh, this.#now());
    // Into memory first, in one go, so no scheduler pass can start a file that is being rejected.
    for (const item of stored) {
      const refusal = refused.get(item.path);
      this.#items.set(item.id, refusal ? { ...item, status: refusal } : item);
      this.#touch(item.id);
    }
    for (const item of stored) {
      const refusal = refused.get(item.path);
      if (refusal) await this.#journal.setStatus(item.id, refusal, this.#now());
    }
    this.#pumpChecks();
    this.#pump();
    return stored.map((item) => item.id);
  }

  /** Starts checks of waiting files, in the order they were added, while check slots are free. */
  #pumpChecks(): void {
    if (!this.#check || !this.#started || this.#closed || this.gate.holdsForStorage) return;
    for (const id of this.#items.checking) {
      if (this.#checkRunning.size >= this.#checksInFlight) return;
      if (this.#checkRunning.has(id)) continue;
      const controller = new AbortController();
      const done = this.#runCheck(id, this.#check, controller.signal).finally(() => {
        this.#checkRunning.delete(id);
        this.#pumpChecks();
      });
      this.#checkRunning.set(id, { controller, done });
    }
  }

  /**
   * One file's check, and what follows from it: refused with the reason, already in the library,
   * or queued (with the content hash added to its metadata so other machines can match it).
   */
  async #runCheck(id: string, check: NonNullable<EngineOptions['check']>, signal: AbortSignal): Promise<void> {
    const item = this.#items.get(id);
    if (!item) return;
    let result: CheckResult;
    try {
      result = await check(item, signal);
    } catch (error) {
      if (signal.aborted) return;
      result = {
        ok: false,
        kind: item.kind,
        mime: item.mime,
        facts: null,
        code: 'file_unreadable',
        message: `This file could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check that it opens, then choose Check again.`,
      };
    }
    if (signal.aborted) return;
    const decision = this.#decisions.then(() => this.#decide(id, result));
    this.#decisions = decision.catch(() => undefined);
    // Not saved: the file stays 'checking' and is checked again once the queue can be written.
    await decision.catch((error) => this.#unlessStorage(error));
  }

  async #decide(id: string, result: CheckResult): Promise<void> {
    const current = this.#items.get(id);
    if (!current || current.status.kind !== 'checking') return;
    const kind = result.kind ?? current.kind;
    const link = current.strategy === 'url';
    // A link is known by its address (its content would have to be downloaded to be hashed).
    const sha256 = result.ok ? (link ? (result.sha256 ?? linkIdentity(current.path)) : result.sha256) : null;
    const notice = result.ok && result.warnings.length > 0 ? result.warnings.join(' ') : null;
    const size = result.size ?? current.size;
    const checked = {
      ...current,
      kind,
      mime: result.mime,
      size,
      strategy: link ? ('url' as const) : this.#strategyFor({ kind, size }),
      sha256,
      userMetadata: sha256 && !link ? { ...current.userMetadata, [CONTENT_HASH_KEY]: sha256 } : current.userMetadata,
      ...(notice !== null && { notice }),
    };
    let next: UploadStatus;
    if (!result.ok) {
      next = {
        kind: 'rejected',
        code: result.code,
        message: result.message,
        ...(result.facts && { detail: describeFacts(result.facts) }),
      };
    } else {
      next = (sha256 && (await this.#findDuplicate(sha256, id))) || { kind: 'queued' };
    }
    // Decided in memory first: a cancel or remove from here on sees the new state, never 'checking'.
    if (this.#items.get(id)?.status.kind !== 'checking') return;
    // The original this copy would wait on may have failed or gone while the lookups above ran.
    if (next.kind === 'duplicate' && next.assetId === null && sha256) {
      next = this.#queueDuplicate(sha256, id) ?? { kind: 'queued' };
    }
    this.#items.set(id, checked);
    this.#applyStatus(id, next);
    if (size !== current.size) await this.#journal.updateFileFacts(id, size, current.mtimeMs);
    await this.#journal.setChecked(id, { ...checked, notice });
    await this.#journal.setStatus(id, next, this.#now());
    this.#pump();
  }

  /** Remembers the content as uploaded, and points files that waited on it at the new asset. */
  async #noteUploaded(sha256: string, assetId: string, name: string): Promise<void> {
    await this.#journal.noteUploaded(sha256, assetId, name, this.#now());
    for (const other of this.#items.withHash(sha256)) {
      if (other.status.kind === 'duplicate' && other.status.assetId === null) {
        await this.#setStatus(other.id, { kind: 'duplicate', assetId, of: name });
      }
    }
  }

  /** The same content already uploaded (or on its way) from this queue, this machine or the library. */
  async #findDuplicate(sha256: string, id: string): Promise<UploadStatus | null> {
    const inQueue = this.#queueDuplicate(sha256, id);
    if (inQueue) return inQueue;
    const known = (await this.#journal.uploadedAs(sha256)) ?? (await this.#findAsset?.(sha256)) ?? null;
    return known && { kind: 'duplicate', assetId: known.assetId, of: known.name };
  }

  /** The same content earlier in this queue: uploaded, or still on its way. */
  #queueDuplicate(sha256: string, id: string): UploadStatus | null {
    for (const other of this.#items.withHash(sha256)) {
      if (other.id === id) continue;
      const { status } = other;
      if (status.kind === 'processing' || status.kind === 'ready') {
        return { kind: 'duplicate', assetId: status.assetId, of: other.name };
      }
      if (!['failed', 'rejected', 'cancelled', 'duplicate'].includes(status.kind)) {
        return { kind: 'duplicate', assetId: null, of: other.name };
      }
    }
    return null;
  }

  #strategyFor(file: { readonly kind: MediaKind | null; readonly size: number }): UploadStrategy {
    const { multipartThreshold } = this.#settings();
    // Only audio and video go in parts; images and documents (no multipart route) in one request.
    return (file.kind === 'video' || file.kind === 'audio' || file.kind === null) && file.size >= multipartThreshold
      ? 'multipart'
      : 'direct';
  }

  /** Pauses waiting or running items; a running multipart upload reports what it has first. */
  async pause(selection: Selection = 'all'): Promise<void> {
    const ids = this.#select(selection, (s) => can(s, 'pause'));
    // Paused in memory first, so the scheduler starts none of them while the running ones stop.
    for (const id of ids) this.#applyStatus(id, { kind: 'paused' });
    await Promise.all(ids.map((id) => this.#stop(id, 'paused')));
    const stillPaused = ids.filter((id) => this.#items.get(id)?.status.kind === 'paused');
    await this.#journal.setStatuses(stillPaused, { kind: 'paused' }, this.#now());
  }

  async resume(selection: Selection = 'all'): Promise<void> {
    await this.#setStatuses(
      this.#select(selection, (s) => can(s, 'resume')),
      { kind: 'queued' },
    );
    this.#pump();
  }

  /**
   * Stops items for good; their multipart sessions are forgotten once any report in flight has
   * landed. A file still being checked is not cancelled: it is removed, or it finishes its check.
   */
  async cancel(selection: Selection = 'all'): Promise<void> {
    const ids = this.#select(selection, (s) => can(s, 'cancel'));
    for (const id of ids) this.#applyStatus(id, { kind: 'cancelled' });
    await Promise.all(ids.map((id) => this.#stop(id, 'cancelled')));
    await this.#journal.resetItems(ids);
    for (const id of ids) this.#progress.set(id, 0);
    await this.#setStatuses(ids, { kind: 'cancelled' });
  }

  /**
   * Puts failed or cancelled items back in the queue (the file's size and time are read again
   * when it starts). A refused file is checked again, for after it was fixed; a duplicate is
   * uploaded anyway, because the person asked for it. Those two only when named: "retry all"
   * means the failed and cancelled ones.
   */
  async retry(selection: Selection = 'all'): Promise<void> {
    const retried = selection === 'all' ? ['failed', 'cancelled'] : ['failed', 'cancelled', 'duplicate'];
    const again = this.#select(selection, (s) => retried.includes(s.kind));
    await this.#setStatuses(again, { kind: 'queued' });
    if (this.#check && selection !== 'all') {
      await this.#setStatuses(
        this.#select(selection, (s) => can(s, 'check-again')),
        { kind: 'checking' },
      );
    }
    this.#pumpChecks();
    this.#pump();
  }

  /** Removes items from the list (stopping them first); their assets, if any, stay in the library. */
  async remove(ids: readonly string[]): Promise<void> {
    // Remembered past the removal, so copies waiting on a removed item can be released.
    for (const id of ids) {
      const sha256 = this.#items.get(id)?.sha256;
      if (sha256) this.#gone.set(id, sha256);
    }
    for (const id of ids) this.#checkRunning.get(id)?.controller.abort('removed');
    await Promise.all(ids.map((id) => this.#stop(id, 'removed')));
    for (const id of ids) this.#followThrough.stop(id);
    await this.#journal.removeItems(ids);
    for (const id of ids) {
      if (this.#items.delete(id)) this.#removed.add(id);
      this.#progress.delete(id);
    }
    await this.#releaseCopies(ids);
    this.#schedule();
    this.#pump();
  }

  /**
   * Removes what is done (in the library, or already there). What needs attention (failed,
   * refused, cancelled, waiting for a drive) stays, so it is not lost by tidying up.
   */
  async clearFinished(): Promise<void> {
    await this.remove(
      [...this.#items.values()].filter((item) => groupOf(item.status) === 'done').map((item) => item.id),
    );
  }

  /**
   * The upload window, applied: null while uploads may run, else when they may again. Outside it,
   * running uploads (but those asked for now) stop and wait, their sent parts kept; a timer comes
   * back when the window opens, closes or the bandwidth changes.
   */
  #scheduleHold(): number | null {
    const { schedule } = this.#settings();
    clearTimeout(this.#scheduleTimer);
    this.#scheduleTimer = undefined;
    if (!schedule) return this.#setHold(null);
    const now = this.#now();
    const changes = [nextWindowChange(schedule, now), nextBandwidthChange(schedule, now)].filter(
      (at): at is number => at !== null,
    );
    if (changes.length > 0) {
      // Capped: a timer is not trusted across a day (sleep, clock changes); it is re-armed each pump.
      this.#scheduleTimer = setTimeout(() => this.reconsider(), Math.min(Math.min(...changes) - now + 500, 3_600_000));
      this.#scheduleTimer.unref();
    }
    if (windowOpen(schedule, now)) return this.#setHold(null);
    for (const id of this.#running.keys()) if (!this.#uploadNow.has(id)) void this.#stop(id, 'schedule');
    return this.#setHold(nextWindowChange(schedule, now));
  }

  #setHold(until: number | null): number | null {
    if (until !== this.#heldUntil) {
      this.#heldUntil = until;
      this.#schedule();
    }
    return until;
  }

  /** Looks at the schedule again now (it changed, or the clock moved on). */
  reconsider(): void {
    this.#pump();
  }

  /** "Upload now": these go even outside the upload window, first in the queue. */
  async uploadNow(ids: readonly string[]): Promise<void> {
    for (const id of ids) if (this.#items.get(id)?.status.kind === 'queued') this.#uploadNow.add(id);
    await this.moveToTop(ids);
    this.#pump();
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
      if (kind === 'cancelled' || kind === 'rejected' || kind === 'duplicate') continue;
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
      scheduledUntil: this.#heldUntil,
      secondsLeft: rate > 1 && this.#running.size > 0 ? Math.round(left / rate) : null,
      outcome: batchOutcome(Array.from(this.#items.values(), (item) => item.status)),
    };
  }

  /** Resolves when nothing is waiting, uploading or processing. */
  whenIdle(): Promise<void> {
    if (this.#items.idle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Stops everything cleanly for quit: running uploads report what they have and go back to
   * waiting in the journal, so the next start resumes where this one stopped.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#fileTimer);
    clearTimeout(this.#scheduleTimer);
    await this.#followThrough.close();
    // A check cut off stays 'checking' in the journal and runs again at the next start.
    for (const { controller } of this.#checkRunning.values()) controller.abort('closing');
    await Promise.all([...this.#checkRunning.values()].map(({ done }) => done));
    this.gate.close();
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id, 'closing')));
    clearTimeout(this.#eventTimer);
    this.#flushEvents();
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
    if (!this.#items.has(id)) return;
    await this.#journal.setStatus(id, status, this.#now());
    this.#applyStatus(id, status);
    if (GIVES_UP.has(status.kind)) await this.#releaseCopies([id]);
  }

  async #setStatuses(ids: readonly string[], status: UploadStatus): Promise<void> {
    await this.#journal.setStatuses(ids, status, this.#now());
    for (const id of ids) this.#applyStatus(id, status);
    if (GIVES_UP.has(status.kind)) await this.#releaseCopies(ids);
  }

  /**
   * Copies that waited on one of these items ("same content as X, which is uploading") while X
   * failed, was cancelled or removed: nothing is on its way for them any more, so the first of
   * them goes itself, and the others wait on it.
   */
  #releaseCopies(ids: readonly string[]): Promise<void> {
    // Decided and applied in memory at once, in the same turn as the move that caused it, so
    // no idle check can run in between; the journal follows.
    const moves: [string, UploadStatus][] = [];
    for (const id of ids) {
      const sha256 = this.#items.get(id)?.sha256 ?? this.#gone.get(id);
      this.#gone.delete(id);
      if (!sha256) continue;
      const copies = this.#items.withHash(sha256).filter((other) => other.id !== id);
      const waiting = copies.filter((other) => other.status.kind === 'duplicate' && other.status.assetId === null);
      // Still covered while another copy of the content is on its way.
      if (copies.some((other) => ACTIVE_KINDS.has(other.status.kind) || other.status.kind === 'paused')) continue;
      const [first, ...rest] = waiting;
      if (!first) continue;
      moves.push([first.id, { kind: 'queued' }]);
      for (const other of rest) moves.push([other.id, { kind: 'duplicate', assetId: null, of: first.name }]);
    }
    for (const [id, status] of moves) this.#applyStatus(id, status);
    this.#pump();
    const now = this.#now();
    return Promise.all(moves.map(([id, status]) => this.#journal.setStatus(id, status, now))).then(() => undefined);
  }

  #applyStatus(id: string, status: UploadStatus): void {
    const item = this.#items.get(id);
    if (!item) return;
    // Every move is checked against the one table; one that is not in it is a bug, kept for tests.
    if (!canMove(item.status.kind, status.kind)) this.#illegalMoves.push(`${item.status.kind} -> ${status.kind}`);
    const bytesSent = this.#progress.get(id) ?? item.bytesSent;
    this.#items.set(id, { ...item, status, bytesSent, updatedAt: this.#now() });
    this.#touch(id);
    this.#checkIdleSoon();
  }

  /** Once per turn of the event loop, not once per item: a 10,000-item change stays linear. */
  #checkIdleSoon(): void {
    if (this.#idleCheck) return;
    this.#idleCheck = setImmediate(() => {
      this.#idleCheck = undefined;
      if (!this.#items.idle) return;
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
      this.emit('idle');
    });
  }

  /** Starts waiting items, in queue order, while file slots are free. */
  #pump(): void {
    if (!this.#started || this.#closed || this.gate.holdsForStorage) return;
    const held = this.#scheduleHold();
    const limit = Math.max(1, Math.floor(this.#settings().filesInFlight * this.gate.concurrencyFactor()));
    // The next few by queue position, in one pass over the waiting items per free slot.
    const free = limit - this.#running.size;
    const chosen: JournalItem[] = [];
    for (let slot = 0; slot < free; slot += 1) {
      let next: JournalItem | undefined;
      for (const id of this.#items.queued) {
        const item = this.#items.get(id);
        if (!item || this.#running.has(id) || chosen.includes(item)) continue;
        // Outside the upload window only what the person said to upload now goes.
        if (held !== null && !this.#uploadNow.has(id)) continue;
        if (!next || item.position < next.position) next = item;
      }
      if (!next) break;
      chosen.push(next);
    }
    for (const item of chosen) {
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
      const assetId =
        item.strategy === 'url'
          ? await this.#uploadUrl(item, controller)
          : item.strategy === 'multipart'
            ? await this.#uploadInParts(item, controller)
            : await this.#uploadDirect(item, controller);
      this.#progress.set(id, item.size);
      // One write: every byte sent, the create over (nothing left to reconcile), now processing.
      if (this.#items.has(id)) {
        await this.#journal.markSent(id, assetId, item.size, this.#now());
        this.#applyStatus(id, { kind: 'processing', assetId });
      }
      const { sha256, name } = this.#items.get(id) ?? item;
      if (sha256) await this.#noteUploaded(sha256, assetId, name);
      this.#followThrough.follow(id, assetId);
    } catch (error) {
      const reason = signal.aborted ? (signal.reason as StopReason) : null;
      // The queue could not be saved: that is not this file's failure.
      const unsaved = reason === null && this.#holdIfStorage(error);
      try {
        if (unsaved) {
          this.#applyStatus(id, { kind: 'queued' });
          return;
        }
        await this.#journal.setBytesSent(id, this.#progress.get(id) ?? 0).catch(() => undefined);
        if (reason === 'closing') {
          await this.#journal.setStatus(id, { kind: 'queued' }, this.#now());
        } else if (reason === 'schedule') {
          // The window closed: back to waiting, what was sent kept, until it opens again.
          await this.#setStatus(id, { kind: 'queued' });
        } else if (reason === null && error instanceof ApiError && error.code === 'file_missing') {
          await this.#setStatus(id, { kind: 'file-missing' });
        } else if (reason === null) {
          await this.#setStatus(id, this.#failure(error));
        }
        // paused, cancelled and removed: the caller sets the status once the stop has finished.
      } catch (stored) {
        // The file waits, as it is in the journal, until the queue can be written again; the
        // chunks whose receipts were saved are not sent again.
        if (!this.#holdIfStorage(stored)) throw stored;
        this.#applyStatus(id, { kind: 'queued' });
      }
    }
  }

  /**
   * Whether `error` is a storage failure (a full disk): if so the whole queue holds until a test
   * write succeeds. It was the queue's problem, never a file's.
   */
  #holdIfStorage(error: unknown): boolean {
    const problem = storageProblem(error);
    if (problem) this.gate.holdForStorage(problem, () => this.#journal.canWrite());
    return problem !== null;
  }

  /** For work nobody awaits: a storage failure holds the queue; anything else is thrown on. */
  #unlessStorage(error: unknown): void {
    if (!this.#holdIfStorage(error)) throw error;
  }

  /**
   * A resumable upload; when TwelveLabs refuses the multipart routes themselves (a 403 before any
   * session exists) and the file is within the direct limit, it goes in one request instead.
   */
  async #uploadInParts(item: JournalItem, controller: AbortController): Promise<string> {
    const { id } = item;
    const settings = this.#settings();
    try {
      return await uploadMultipart({
        item,
        client: this.#client,
        journal: this.#journal,
        signal: controller.signal,
        retry: this.#retry,
        limiter: this.#limiter,
        buffers: this.#buffers,
        now: this.#now,
        enableHls: settings.enableHls,
        enableThumbnail: settings.enableThumbnail,
        reportBatchSize: this.#reportBatchSize,
        stallMs: this.#stallMs,
        urlMarginMs: this.#urlMarginMs,
        acquireChunkSlot: (s) => this.#chunkSlots.acquire(s),
        onProgress: (bytes) => this.#onProgress(id, bytes),
        onNotice: (notice) => void this.#notice(id, notice),
      });
    } catch (error) {
      const refused = error instanceof ApiError && error.status === 403 && !controller.signal.aborted;
      if (!refused || item.size > LIMITS.directMediaMaxBytes || (await this.#journal.session(id))) throw error;
      await this.#notice(id, 'TwelveLabs did not allow a resumable upload for this file, so it was sent in one piece.');
      return this.#uploadDirect(item, controller);
    }
  }

  /** Re-reads the file before sending: a new version starts from zero, a missing one fails with a reason. */
  async #checkFile(id: string): Promise<JournalItem> {
    const item = this.#items.get(id)!;
    if (item.strategy === 'url') return item;
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

  /** `POST /assets` streamed from disk; an asset made from a file that changed meanwhile is removed. */
  async #uploadDirect(item: JournalItem, controller: AbortController): Promise<string> {
    const settings = this.#settings();
    return this.#createOnce(item, controller, async (attempt) => {
      let sent = 0;
      const asset = await this.#client.createAssetDirect({
        filename: item.name,
        mime: item.mime,
        size: item.size,
        enableHls: settings.enableHls,
        enableThumbnail: settings.enableThumbnail,
        userMetadata: item.userMetadata,
        signal: attempt.signal,
        file: () =>
          fileRange(item.path, 0, item.size, {
            onBytes: (bytes) => {
              sent += bytes;
              this.#onProgress(item.id, sent);
            },
            limiter: this.#limiter,
            controller: attempt,
            stallMs: this.#stallMs,
          }),
      });
      const after = await stat(item.path).catch(() => null);
      if (!after || after.size !== item.size || after.mtimeMs !== item.mtimeMs) {
        // The bytes sent may mix two versions of the file: the asset made from them is removed,
        // and never taken for this file's on a later try.
        await this.#journal.setAttemptStarted(item.id, null);
        await this.#client.deleteAsset(asset._id, true).catch(() => undefined);
        throw new ApiError(
          'http',
          'The file changed while it was uploading.',
          null,
          after ? 'file_changed' : 'file_missing',
        );
      }
      return asset._id;
    });
  }

  /**
   * `POST /assets` with method=url: TwelveLabs fetches the link itself, so nothing streams from
   * here; from the moment it answers, the asset is processing on TwelveLabs' side.
   */
  async #uploadUrl(item: JournalItem, controller: AbortController): Promise<string> {
    const settings = this.#settings();
    return this.#createOnce(item, controller, async (attempt) => {
      const asset = await this.#client.createAssetFromUrl({
        url: item.path,
        filename: item.name,
        enableHls: settings.enableHls,
        enableThumbnail: settings.enableThumbnail,
        userMetadata: item.userMetadata,
        signal: attempt.signal,
      });
      return asset._id;
    });
  }

  /**
   * One `POST /assets`, made exactly once across retries and restarts: the start of each attempt
   * is journalled, and before a retry after a lost response the library is asked whether the
   * earlier attempt created the asset after all. `create` gets a controller for this attempt
   * alone (a stalled body aborts the attempt, not the item).
   */
  async #createOnce(
    item: JournalItem,
    controller: AbortController,
    create: (attempt: AbortController) => Promise<string>,
  ): Promise<string> {
    const since = item.attemptStartedAt;
    if (since !== null) {
      const existing = await this.#findCreated(item, since, controller.signal);
      if (existing) return existing;
    }
    return retrying(
      async (attempt) => {
        if (attempt > 0) {
          const existing = await this.#findCreated(
            item,
            this.#items.get(item.id)?.attemptStartedAt ?? this.#now(),
            controller.signal,
          );
          if (existing) return existing;
        }
        const startedAt = this.#now();
        await this.#journal.setAttemptStarted(item.id, startedAt);
        this.#items.set(item.id, { ...this.#items.get(item.id)!, attemptStartedAt: startedAt });
        const attemptController = new AbortController();
        const forward = () => attemptController.abort(controller.signal.reason);
        controller.signal.addEventListener('abort', forward, { once: true });
        // Stopped before this attempt began: a listener added now would never fire.
        if (controller.signal.aborted) forward();
        try {
          return await create(attemptController);
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
  async #findCreated(item: JournalItem, since: number, signal: AbortSignal): Promise<string | null> {
    const claimed = new Set(
      [...this.#items.values()].flatMap((other) =>
        other.id !== item.id && (other.status.kind === 'processing' || other.status.kind === 'ready')
          ? [other.status.assetId]
          : [],
      ),
    );
    // Two seconds of slack for a server clock that runs slightly behind ours.
    const after = since - 2000;
    const page = await retrying(
      () => this.#client.listAssets({ filename: item.name, pageLimit: 50 }, signal),
      this.#retry,
      signal,
    );
    const match = page.data.find(
      (asset) => asset.filename === item.name && Date.parse(asset.created_at) >= after && !claimed.has(asset._id),
    );
    return match?._id ?? null;
  }

  /** Records what TwelveLabs said of a processed asset, and tells listeners (the Library) of it. */
  async #processed(id: string, asset: WireAssetDetail): Promise<void> {
    const assetId = asset._id;
    await this.#setStatus(
      id,
      asset.status === 'ready'
        ? { kind: 'ready', assetId }
        : {
            kind: 'failed',
            code: 'processing_failed',
            message: plainError('processing_failed').message,
            ...(asset.error?.message && { detail: asset.error.message }),
            retryable: false,
          },
    );
    this.emit('processed', asset);
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

  async #notice(id: string, notice: string): Promise<void> {
    await this.#journal.setNotice(id, notice);
    const item = this.#items.get(id);
    if (item) this.#items.set(id, { ...item, notice });
    this.#touch(id);
  }

  #onProgress(id: string, bytes: number): void {
    this.#progress.set(id, bytes);
    this.#touch(id);
  }

  #view(item: JournalItem): UploadItem {
    return publicItem(item, this.#progress.get(item.id) ?? item.bytesSent);
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
