import { randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import type {
  MediaKind,
  Selection,
  UploadItem,
  UploadsChanged,
  UploadStatus,
  UploadStatusKind,
  UploadStrategy,
  UploadTotals,
} from '../../shared/uploads';
import { can, KINDS, retriedWithAll } from '../../shared/upload-status';
import { checkFindings, inLibrary, rowGroup } from '../../shared/uploads';
import { m } from '../../shared/i18n';
import { bandwidthAt, nextBandwidthChange, nextWindowChange, windowOpen, type Schedule } from '../../shared/schedule';
import type { ApiClient } from '../api/client';
import { plainError } from '../../shared/error-catalogue';
import { describeFailure } from './failure';
import { ConnectionGate } from '../api/gate';
import { type RetryPolicy } from '../api/retry';
import type { WireAssetDetail } from '../api/types';
import { Limiter } from '../util/limiter';
import type { FileToAdd } from '../media/intake';
import { partsOf } from '../media/copy-plan';
import type { ReadersPerDisk } from '../../shared/settings';
import { CONTENT_HASH_KEY } from '../../shared/metadata';
import { identityOf, type UploadCopy } from '../../shared/upload-copy';
import type { Rejection } from '../media/rules';
import type { BatchRecord, ReportRow } from '../../shared/report';
import type { Journal, JournalItem, SkippedRecord } from './journal';
import { storageProblem } from '../store/storage-failure';
import { ChangeFeed } from './change-feed';
import { Checks, type Check, type CheckDecision, type FindAsset } from './checks';
import { Copies, CopyGone, uploadSource, type CopiesSetup } from './copies';
import { FileProblem, readFacts, sameFacts, type FileFacts } from './file-facts';
import { FollowThrough } from './follow-through';
import { Indexing } from './indexing';
import { indexPending, type IndexChoice, type ItemIndex } from '../../shared/indexes';
import { ItemTable } from './item-table';
import { strategies, type Strategy } from './strategies';
import { BandwidthLimiter, ChunkBuffers } from './throughput';

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
  /** Upload copies made at once (1 unless given). */
  readonly copiesAtOnce?: number;
  /** Files checked at once from one disk ('auto' unless given: two from a spinning or USB disk). */
  readonly readersPerDisk?: ReadersPerDisk;
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
  /** First wait between checks of an index's jobs (5 s, as the SDKs poll); grows up to `indexPollMaxMs`. */
  readonly indexPollMs?: number;
  readonly indexPollMaxMs?: number;
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
  /** How long Clear finished can be undone: the rows are gone at once, the journal's after this. */
  readonly undoMs?: number;
  /** A presigned URL with less than this left is replaced before use. */
  readonly urlMarginMs?: number | undefined;
  /**
   * Reads each added file before it may upload (type, probe, rules, content hash). Without it,
   * files are queued as the caller typed them: the transport tests send random bytes as "video".
   */
  readonly check?: Check;
  /**
   * Files checked at the same time. Probing is mostly waiting on the disk, and each check keeps one
   * MediaInfo instance busy; 4 keeps a folder of 10,000 small files moving without starving uploads.
   */
  readonly checksInFlight?: number;
  /** How long a file that changed while it was checked waits before it is checked again (3 s). */
  readonly settleMs?: number;
  /** An asset in the library (the library cache) with this content hash, for duplicate detection. */
  readonly findAsset?: FindAsset;
  /** Where upload copies are made, and with which FFmpeg; without it none are made. */
  readonly copies?: CopiesSetup;
  /**
   * Finished files kept in memory, the latest to finish; the rest are read from the journal when
   * something is to be done to them, so a queue of a million costs the files that move (1,000).
   */
  readonly holdFinished?: number;
  /**
   * Files waiting their turn kept in memory, the front of the line; the rest wait in the journal
   * and are read back, in queue order, as uploads take the front (2,000).
   */
  readonly holdQueued?: number;
  /** How often finished files past `holdFinished`, and waiting ones past `holdQueued`, are let go (1 s). */
  readonly letGoMs?: number;
  /** Files waiting for their check before a scan waits for room (`roomToAdd`; 5,000). */
  readonly checkAhead?: number;
}

/** What an add put in the queue, and what it did not because the same path was listed already. */
export interface Added {
  /** The new rows, in the order their files were given. */
  readonly ids: readonly string[];
  /** Files whose path waits in the list already (not failed or cancelled), with that row. */
  readonly alreadyListed: readonly { readonly path: string; readonly id: string }[];
}

/** Why a running upload was stopped, carried as the abort reason. */
type StopReason = 'paused' | 'cancelled' | 'closing' | 'removed' | 'schedule';

interface Running {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/** The kinds a Clear finished may take (`rowGroup` decides, with the index). */
const DONE_KINDS = (Object.keys(KINDS) as UploadStatusKind[]).filter((kind) => KINDS[kind].group === 'done');

/** What of a finished file the journal must hold as memory does before memory lets it go. */
function sameState(held: JournalItem, stored: JournalItem): boolean {
  const state = (item: JournalItem) =>
    JSON.stringify([
      item.status.kind,
      'assetId' in item.status ? item.status.assetId : null,
      item.bytesSent,
      item.index?.state ?? null,
      item.notice ?? null,
      item.sha256,
      item.size,
      item.position,
    ]);
  return state(held) === state(stored);
}

/** Without a check, a file whose first bytes are not media is refused at once. */
const unsupported: Rejection = { code: 'unsupported_type', message: plainError('unsupported_type').message };

/**
 * Memory for chunks read ahead of sending, shared by every upload: six 5 MiB chunks in flight, with
 * room for twice that; past it chunks stream from disk (a server's larger chunks, or many in flight).
 */
const CHUNK_BUFFER_BUDGET = 64 * 1024 * 1024;

/**
 * The upload engine: a durable queue (the SQLite journal) worked by a scheduler with caps on files
 * and chunks in flight, streaming direct and multipart uploads, following each asset until it is
 * ready, and reporting progress as batched change events. The app, the CLI and tests all run it.
 */
export class UploadEngine extends EventEmitter<{
  change: [UploadsChanged];
  idle: [];
  /** An uploaded asset TwelveLabs finished with (ready or failed), as the server described it. */
  processed: [WireAssetDetail];
  /** An uploaded asset TwelveLabs took into an index (indexing it, or done). */
  indexed: [assetId: string, index: IndexChoice];
  /** A move the one table of moves does not allow, refused ("uploading -> checking"): a bug. */
  refusedMove: [id: string, move: string];
}> {
  readonly #journal: Journal;
  readonly #client: ApiClient;
  /** Open, rate-limited, offline or key-rejected; the window's status bar follows it. */
  readonly gate: ConnectionGate;
  readonly #settings: () => EngineSettings;
  readonly #now: () => number;
  readonly #retry: RetryPolicy & { readonly gated: boolean };
  readonly #fileCheckMs: number;
  readonly #undoMs: number;
  /**
   * What the last Clear finished took, until it can no longer be undone: gone from every answer
   * at once, from the journal only then.
   */
  #cleared: { readonly ids: ReadonlySet<string>; readonly timer: NodeJS.Timeout } | null = null;
  readonly #holdFinished: number;
  readonly #holdQueued: number;
  /** The shelf's front being read back (`#unshelve`), if it is. */
  #unshelving: Promise<void> | null = null;
  /** Bumped when files leave the list: a read of the shelf begun before may name one. */
  #removals = 0;
  readonly #letGoMs: number;
  readonly #checkAhead: number;
  /** `roomToAdd()` callers, released when fewer files wait for their check. */
  #roomWaiters: (() => void)[] = [];
  #letGoTimer: NodeJS.Timeout | undefined;
  /**
   * Actions under way on files read back from the journal: while any is, no file is let go, so
   * what an action holds stays held until it is done.
   */
  #acting = 0;
  /** Without a check, files are queued as the caller typed them. */
  readonly #checks: Checks | null;
  /** Without FFmpeg, no upload copies are made (and none are planned: the checks offer none). */
  readonly #copies: Copies | null;
  /** Copies planned with an FFmpeg that is gone, being failed (close waits for the write). */
  #failingCopies: Promise<void> | null = null;
  #fileTimer: NodeJS.Timeout | undefined;
  /** Moves refused because the one table does not allow them (none, unless there is a bug). */
  readonly #illegalMoves: string[] = [];
  readonly #items = new ItemTable((id, move) => {
    this.#illegalMoves.push(move);
    this.emit('refusedMove', id, move);
  });
  /** Content hashes of items just removed, until their waiting copies are released. */
  readonly #gone = new Map<string, string>();
  readonly #running = new Map<string, Running>();
  /** Files in flight; the setting, slowed by the gate after a rate limit. */
  readonly #fileSlots: Limiter;
  readonly #strategies: Record<UploadStrategy, Strategy>;
  readonly #followThrough: FollowThrough;
  readonly #indexing: Indexing;
  readonly #feed: ChangeFeed;
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
      lost: (id, error) => this.#setStatus(id, this.#failure(id, error)),
      held: (error) => this.#holdIfStorage(error),
    });
    this.#indexing = new Indexing({
      client: this.#client,
      gate: this.gate,
      intervalMs: options.indexPollMs ?? 5000,
      maxMs: options.indexPollMaxMs ?? 60_000,
      item: (id) => this.#items.get(id),
      save: (id, index) => this.#setIndex(id, index),
      held: (error) => this.#holdIfStorage(error),
    });
    this.#fileCheckMs = options.fileCheckMs ?? 5000;
    this.#holdFinished = options.holdFinished ?? 1000;
    this.#holdQueued = options.holdQueued ?? 2000;
    this.#letGoMs = options.letGoMs ?? 1000;
    this.#checkAhead = options.checkAhead ?? 5000;
    this.#undoMs = options.undoMs ?? 10_000;
    // The gate slows both limits after a rate limit, climbing back to the settings.
    const paced = (setting: number) => Math.floor(setting * this.gate.concurrencyFactor());
    this.#fileSlots = new Limiter(() => paced(this.#settings().filesInFlight));
    this.#feed = new ChangeFeed({
      items: this.#items,
      now: this.#now,
      intervalMs: options.eventIntervalMs ?? 250,
      emit: (change) => this.emit('change', change),
      running: () => this.#running.size,
      heldUntil: () => this.#heldUntil,
      held: () => this.gate.state.kind !== 'online',
    });
    const check = options.check;
    this.#checks = check
      ? new Checks({
          check,
          items: this.#items,
          journal: this.#journal,
          now: this.#now,
          inFlight: options.checksInFlight ?? 4,
          readersPerDisk: () => this.#settings().readersPerDisk ?? 'auto',
          findAsset: options.findAsset,
          strategyFor: (file) => this.#strategyFor(file),
          mayRun: () => this.#started && !this.#closed && !this.gate.holdsForStorage,
          decided: (id, decision) => this.#decided(id, decision),
          changing: (id, facts) => this.#changing(id, facts),
          unlessStorage: (error) => this.#unlessStorage(error),
          planParts: (first, fresh) => this.#planParts(first, fresh),
          ...(options.settleMs !== undefined && { settleMs: options.settleMs }),
        })
      : null;
    this.#copies = options.copies
      ? new Copies({
          ...options.copies,
          items: this.#items,
          atOnce: () => this.#settings().copiesAtOnce ?? 1,
          setStatus: (id, status) => this.#setStatus(id, status),
          made: (id, copy) => this.#copyMade(id, copy),
          mayRun: () => this.#started && !this.#closed && !this.gate.holdsForStorage,
          progress: (id, progress) => this.#feed.copyProgress(id, progress),
          notice: (id, notice) => this.#notice(id, notice),
          holdIfStorage: (error) => this.#holdIfStorage(error),
        })
      : null;
    this.#strategies = strategies({
      client: this.#client,
      journal: this.#journal,
      items: this.#items,
      settings: this.#settings,
      retry: this.#retry,
      now: this.#now,
      // The timetable's limit for now when there is one, else the setting.
      bandwidth: new BandwidthLimiter(() => {
        const { schedule, bandwidthLimit } = this.#settings();
        return (schedule && bandwidthAt(schedule, this.#now())) ?? bandwidthLimit;
      }),
      buffers: new ChunkBuffers(CHUNK_BUFFER_BUDGET),
      chunkSlots: new Limiter(() => paced(this.#settings().chunksInFlight)),
      // `npm run bench -- baselines` sweeps chunks per report on a 256 MiB file: 1: 207, 8: 219,
      // 32: 213 MiB/s, within the noise over loopback; 8 costs an eighth of the requests of 1 and
      // leaves at most 8 chunks unconfirmed on the server (see `reportBatchSize` above).
      reportBatchSize: options.reportBatchSize ?? 8,
      stallMs: options.stallMs ?? 60_000,
      urlMarginMs: options.urlMarginMs,
      progress: (id, bytes, parts) => this.#feed.progress(id, bytes, parts),
      notice: (id, notice) => this.#notice(id, notice),
    });
    this.gate.on('change', () => {
      this.#checks?.pump();
      this.#pump();
    });
  }

  /**
   * Opens the queue in the journal: every file counted, the files with work ahead held. Uploads
   * that were running when the process died go back to waiting. The finished files that would
   * leave memory as soon as read are counted by SQL and never read: a restart over a million
   * finished files reads the few that move.
   */
  static async open(options: EngineOptions): Promise<UploadEngine> {
    const engine = new UploadEngine(options);
    for (const { kind, count, size, bytesSent } of await options.journal.settledCounts()) {
      engine.#items.tally.counted(kind, count, size, bytesSent);
    }
    for await (const page of options.journal.itemPages(undefined, { unsettled: true })) {
      for (const item of page) {
        let current = item;
        if (item.status.kind === 'uploading') {
          current = { ...item, status: { kind: 'queued' } };
          await options.journal.setStatus(item.id, current.status, engine.#now());
        }
        engine.#items.set(item.id, current);
        // A finished file read (one in an index) is counted and let go at once, as the rest were;
        // the rows come in queue order, so waiting (or paused) ones past the first go to the shelf.
        engine.#items.evict(item.id);
        const { queued, paused } = engine.#items;
        const line = queued.has(item.id) ? queued : paused.has(item.id) ? paused : null;
        if (line && line.size > engine.#holdQueued) engine.#items.shelve(item.id);
      }
    }
    return engine;
  }

  /** Starts working the queue (and following assets still processing on the server). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const item of this.#items.values()) {
      if (item.status.kind === 'processing') this.#followThrough.follow(item.id, item.status.assetId);
      // Index work from before a restart: a request that may have been sent is reconciled first.
      if (indexPending(item.index)) this.#indexing.start(item.id);
    }
    this.#watchMissingFiles();
    this.#letGoLater();
    this.#checks?.pump();
    // What a kill left half-made in the cache goes before any copy is made again.
    void this.#copies
      ?.sweep()
      .then(() => this.#pump())
      .catch(() => undefined);
    this.#pump();
  }

  /** Finished files past `holdFinished` leave memory now and then (`#letGo`). */
  #letGoLater(): void {
    this.#letGoTimer = setTimeout(() => {
      void this.#letGo()
        .catch(() => undefined)
        .finally(() => {
          if (!this.#closed) this.#letGoLater();
        });
    }, this.#letGoMs);
    this.#letGoTimer.unref();
  }

  /**
   * Lets the longest-finished files past `holdFinished` go from memory, each once the journal is
   * seen to hold it as memory does: a write still on its way keeps it held until the next time.
   */
  async #letGo(): Promise<void> {
    // A line whose front ran out while the shelf could not be read is read again.
    if (this.#items.shelved > 0 && this.#running.size === 0) this.#pump();
    if (this.#acting > 0) return;
    const over = this.#items.settledCount - this.#holdFinished;
    const ids: string[] = [];
    for (const id of this.#items.settled()) {
      if (ids.length >= over) break;
      if (!this.#running.has(id) && !this.#feed.pending(id)) ids.push(id);
    }
    const waiting = this.#pastTheFront();
    if (ids.length === 0 && waiting.length === 0) return;
    const stored = await this.#journal.itemsById([...ids, ...waiting]);
    // After the read: an action begun meanwhile may hold these, and they stay.
    if (this.#acting > 0) return;
    for (const item of stored) {
      const held = this.#items.get(item.id);
      if (!held || !sameState(held, item) || this.#feed.pending(item.id)) continue;
      if (held.status.kind === 'queued' || held.status.kind === 'paused') {
        if (!this.#running.has(item.id) && !this.#uploadNow.has(item.id)) this.#items.shelve(item.id);
      } else this.#items.evict(item.id);
    }
  }

  /** The waiting and the paused files held past the first `holdQueued` of each, which may go to the shelf. */
  #pastTheFront(): string[] {
    return [this.#items.queued, this.#items.paused].flatMap((ids) => {
      if (ids.size <= this.#holdQueued) return [];
      const line = [...ids].sort((a, b) => this.#items.get(a)!.position - this.#items.get(b)!.position);
      return line.slice(this.#holdQueued).filter((id) => !this.#running.has(id) && !this.#uploadNow.has(id));
    });
  }

  /**
   * Reads the shelf's front back from the journal, in queue order, as the held line runs short.
   * An action holds files meanwhile (they are not let go), and one that removed files makes the
   * read stale: it is read again.
   */
  #unshelve(): void {
    if (this.#unshelving || this.#items.shelved === 0) return;
    this.#unshelving = this.#act(async () => {
      for (;;) {
        const removals = this.#removals;
        const rows = await this.#journal.queuedFrom(this.#items.shelvedFrom, this.#holdQueued + 1);
        if (removals !== this.#removals) continue;
        const next = rows.length > this.#holdQueued ? rows.pop()!.position : Infinity;
        const held = this.#items.size;
        this.#items.unshelve(rows, next);
        return this.#items.size > held;
      }
    }).then(
      (more) => {
        this.#unshelving = null;
        // Pumped again for what came back; a read that brought nothing back is not repeated at once.
        if (more) this.#pump();
      },
      (error: unknown) => {
        // Tried again at the next pump (a file ending, the let-go's round); a full disk holds the queue.
        this.#unshelving = null;
        this.#holdIfStorage(error);
      },
    );
  }

  /**
   * Runs an action on files that may have to be read back from the journal (`#hold`): none is let
   * go until it ends.
   */
  async #act<T>(action: () => Promise<T>): Promise<T> {
    this.#acting += 1;
    try {
      return await action();
    } finally {
      this.#acting -= 1;
    }
  }

  /** Holds these files again, those not held read from the journal (a cleared one is not). */
  async #hold(ids: readonly string[]): Promise<void> {
    const cold = ids.filter((id) => !this.#items.has(id) && !this.#cleared?.ids.has(id));
    if (cold.length === 0) return;
    for (const item of await this.#journal.itemsById(cold)) this.#items.hold(item);
  }

  /** Holds the files in `kinds`, or whose index stands in `indexStates`, read from the journal. */
  async #holdWhere(where: Parameters<Journal['itemsWhere']>[0]): Promise<void> {
    for await (const page of this.#journal.itemsWhere(where)) {
      for (const item of page) if (!this.#cleared?.ids.has(item.id)) this.#items.hold(item);
    }
  }

  /**
   * The files listed at these paths, held or not, each path's in the order they came: the
   * journal's rows with memory's over them (memory is ahead), and files held and not yet written.
   */
  async #listedAt(paths: readonly string[]): Promise<Map<string, JournalItem[]>> {
    const byPath = new Map<string, JournalItem[]>();
    const seen = new Set<string>();
    const put = (item: JournalItem) => {
      if (seen.has(item.id) || this.#cleared?.ids.has(item.id)) return;
      seen.add(item.id);
      const listed = byPath.get(item.path) ?? [];
      listed.push(this.#items.get(item.id) ?? item);
      byPath.set(item.path, listed);
    };
    for (const item of await this.#journal.itemsAt(paths)) put(item);
    for (const path of paths) for (const item of this.#items.withPath(path)) put(item);
    return byPath;
  }

  /** Files on a drive that went away wait; when the file is back, the item goes back in the queue. */
  #watchMissingFiles(): void {
    this.#fileTimer = setTimeout(async () => {
      // Most of the time no file is missing, and a large queue is not read through for nothing.
      const missing = this.#items.tally.count('file-missing') > 0 ? [...this.#items.values()] : [];
      for (const item of missing) {
        if (item.status.kind !== 'file-missing') continue;
        if (await readFacts(item.path)) {
          // Not saved: it stays file-missing, and is looked at again once the queue can be written.
          await this.#setStatus(item.id, this.#goesOn(item)).catch((error) => this.#unlessStorage(error));
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

  /** Files held in memory now: those that move, the line's front and the latest finished. */
  get heldCount(): number {
    return this.#items.size;
  }

  /** Files waiting or paused in the journal and not in memory (the shelf), of them all or of one watched folder. */
  shelved(watchFolder?: string): number {
    return watchFolder === undefined
      ? this.#items.shelved + this.#items.shelvedPaused
      : this.#items.shelvedIn(watchFolder);
  }

  /**
   * Resolves once fewer than `checkAhead` files wait for their check (at once without checks, or
   * before the queue starts). A scan hands a million files in as the checks take them, so what
   * memory holds of the queue stays bounded; the journal lists each file as it is added.
   */
  roomToAdd(): Promise<void> {
    if (!this.#noRoom()) return Promise.resolve();
    return new Promise((resolve) => this.#roomWaiters.push(resolve));
  }

  #noRoom(): boolean {
    return this.#checks !== null && this.#started && !this.#closed && this.#items.checking.size >= this.#checkAhead;
  }

  /** Moves refused because `MOVES` does not allow them (none, unless there is a bug). */
  illegalMoves(): readonly string[] {
    return this.#illegalMoves;
  }

  /** Every listed file, in queue order, as the window sees it. */
  async items(): Promise<UploadItem[]> {
    return (await this.#listed()).map((item) => this.#feed.view(item));
  }

  async #listed(): Promise<JournalItem[]> {
    const items: JournalItem[] = [];
    for await (const page of this.#listedPages()) items.push(...page);
    return items.sort((a, b) => a.position - b.position);
  }

  /**
   * Every listed file as the window sees it, a page at a time: the journal's in queue order, then
   * those held and not yet written. A reader that keeps little (a resume noting what is left)
   * never has every row at once.
   */
  async *listedPages(): AsyncGenerator<UploadItem[]> {
    for await (const page of this.#listedPages()) yield page.map((item) => this.#feed.view(item));
  }

  /** The journal's pages with the held files over their rows, then the held files not yet written. */
  async *#listedPages(): AsyncGenerator<JournalItem[]> {
    // Held files met in the journal: as many as memory holds, not as many as the journal has.
    const met = new Set<string>();
    for await (const page of this.#journal.itemPages()) {
      yield page.flatMap((item) => {
        if (this.#cleared?.ids.has(item.id)) return [];
        const held = this.#items.get(item.id);
        if (held) met.add(item.id);
        return [held ?? item];
      });
    }
    // The other parts of a programme, as they are planned.
    const unwritten = [...this.#items.values()].filter((item) => !met.has(item.id));
    if (unwritten.length > 0) yield unwritten;
  }

  /** One item as the engine holds it, if it does. */
  held(id: string): UploadItem | undefined {
    return this.#items.get(id);
  }

  /** Files cleared from the list that Undo may still bring back: in the journal, not listed. */
  cleared(): ReadonlySet<string> | null {
    return this.#cleared?.ids ?? null;
  }

  /** One listed file as the window sees it, held or not. */
  async item(id: string): Promise<UploadItem | undefined> {
    if (this.#cleared?.ids.has(id)) return undefined;
    const item = this.#items.get(id) ?? (await this.#journal.item(id));
    return item && this.#feed.view(this.#items.get(id) ?? item);
  }

  /** These listed files as the window sees them, in the order asked for; ids not listed are left out. */
  async itemsOf(ids: readonly string[]): Promise<UploadItem[]> {
    const cold = ids.filter((id) => !this.#items.has(id) && !this.#cleared?.ids.has(id));
    const read = new Map((await this.#journal.itemsById(cold)).map((item) => [item.id, item]));
    return ids.flatMap((id) => {
      if (this.#cleared?.ids.has(id)) return [];
      const item = this.#items.get(id) ?? read.get(id);
      return item ? [this.#feed.view(item)] : [];
    });
  }

  /**
   * The files of a batch as the window sees them, `size` at a time in the order they came: small
   * pages, as each page's rows are made at once.
   */
  async *batchPages(batchId: string, size: number): AsyncGenerator<UploadItem[]> {
    for await (const page of this.#journal.itemsWhere({ batchId }, size)) {
      const listed = page.filter((item) => !this.#cleared?.ids.has(item.id));
      yield listed.map((item) => this.#feed.view(this.#items.get(item.id) ?? item));
    }
  }

  /** A held item as the window sees it now (with the bytes sent so far); one not held as it is. */
  view(item: UploadItem): UploadItem {
    const held = this.#items.get(item.id);
    return held ? this.#feed.view(held) : item;
  }

  /** The newest row listed for the file at `path`, whatever its state. */
  async itemAt(path: string): Promise<UploadItem | undefined> {
    const item = (await this.#listedAt([path])).get(path)?.at(-1);
    return item && this.#feed.view(item);
  }

  /**
   * Queues files. A file already in the list (and not failed or cancelled) is not queued twice:
   * it is named in `alreadyListed` with its row. With a check, each file is read before it may
   * upload; without one, a file that is not video, audio or an image is recorded as rejected with
   * the reason. Nothing added is lost.
   */
  async add(files: readonly FileToAdd[], options: { batchId?: string; index?: IndexChoice } = {}): Promise<Added> {
    const batchId = options.batchId ?? randomUUID();
    // Looked up by path (in the journal's index): an add costs its own files, not the whole queue's.
    const before = await this.#listedAt(files.map((file) => file.path));
    const listed = new Map<string, string>();
    const listedAs = (path: string) =>
      listed.get(path) ??
      before.get(path)?.find((item) => item.status.kind !== 'failed' && item.status.kind !== 'cancelled')?.id;
    const fresh = [];
    const alreadyListed: { path: string; id: string }[] = [];
    const refused = new Map<string, UploadStatus>();
    for (const file of files) {
      const id = listedAs(file.path);
      if (id !== undefined) {
        alreadyListed.push({ path: file.path, id });
        continue;
      }
      listed.set(file.path, '');
      const refusal = file.problem ?? (file.kind === null && !this.#checks ? unsupported : null);
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
        status: this.#checks ? ('checking' as const) : ('queued' as const),
        ...(file.watchFolder !== undefined && { watchFolder: file.watchFolder }),
        ...(options.index && { index: options.index }),
      });
    }
    const stored = await this.#journal.addItems(fresh, this.#now());
    // Into memory first, in one go, so no scheduler pass can start a file that is being rejected.
    for (const item of stored) {
      const refusal = refused.get(item.path);
      this.#items.set(item.id, refusal ? { ...item, status: refusal } : item);
      this.#feed.touch(item.id);
    }
    for (const item of stored) {
      const refusal = refused.get(item.path);
      if (refusal) await this.#journal.setStatus(item.id, refusal, this.#now());
    }
    this.#checks?.pump();
    this.#pump();
    // A path given twice in one add is listed once; its second mention names the row made for it.
    const made = new Map(stored.map((item) => [item.path, item.id]));
    return {
      ids: stored.map((item) => item.id),
      alreadyListed: alreadyListed.map((entry) => ({ path: entry.path, id: entry.id || made.get(entry.path)! })),
    };
  }

  /** Remembers the content as uploaded, and points files that waited on it at the new asset. */
  async #noteUploaded(sha256: string, assetId: string, name: string): Promise<void> {
    await this.#journal.noteUploaded(sha256, assetId, name, this.#now());
    // Listed first: each status set below may move the copies under this content.
    for (const other of [...this.#items.withHash(sha256)]) {
      if (other.status.kind === 'duplicate' && other.status.assetId === null) {
        await this.#setStatus(other.id, { kind: 'duplicate', assetId, of: name });
      }
    }
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
    await this.#act(() => this.#pause(selection));
  }

  async #pause(selection: Selection): Promise<void> {
    const ids = await this.#select(selection, (s) => can(s, 'pause'));
    // Paused in memory first, so the scheduler starts none of them while the running ones stop.
    for (const id of ids) this.#applyStatus(id, { kind: 'paused' });
    await Promise.all(ids.map((id) => this.#stop(id, 'paused')));
    const stillPaused = ids.filter((id) => this.#items.get(id)?.status.kind === 'paused');
    await this.#journal.setStatuses(stillPaused, { kind: 'paused' }, this.#now());
  }

  async resume(selection: Selection = 'all'): Promise<void> {
    await this.#act(async () => this.#goOn(await this.#select(selection, (s) => can(s, 'resume'))));
    this.#pump();
  }

  /**
   * Makes the upload copies offered for these refused files (a person chose them); each is
   * made in turn and uploaded in its original's place.
   */
  async makeCopies(ids: readonly string[]): Promise<void> {
    if (this.#copies) await this.#act(() => this.#makeCopies(ids));
  }

  async #makeCopies(ids: readonly string[]): Promise<void> {
    await this.#hold(ids);
    const offered = ids.filter((id) => {
      const item = this.#items.get(id);
      return item?.status.kind === 'rejected' && item.copy !== undefined;
    });
    const parts = [];
    for (const id of offered) parts.push(...(await this.#planParts(this.#items.get(id)!, { kind: 'copying' })));
    await this.#setStatuses(offered, { kind: 'copying' });
    await this.#addParts(parts);
    this.#pump();
  }

  /**
   * The other parts of a programme planned as its first (a copy of part 1 of 3): each its own item
   * right after it, made and sent on its own. Each is `fresh` (to be copied, or offered as the first
   * was), or a duplicate where this original's part is already uploaded. A part already listed is
   * not planned again.
   */
  async #planParts(first: JournalItem, fresh: UploadStatus): Promise<JournalItem[]> {
    const { copy } = first;
    if (copy?.part?.index !== 1) return [];
    // The parts of this file listed already, and the next row's place (the parts go between).
    const listed = new Set<number>();
    for (const item of (await this.#listedAt([first.path])).get(first.path) ?? []) {
      if (item.id !== first.id && item.copy?.part) listed.add(item.copy.part.index);
    }
    let next = Math.min(first.position + 1, (await this.#journal.positionAfter(first.position)) ?? Infinity);
    for (const item of this.#items.values()) {
      if (item.position > first.position && item.position < next) next = item.position;
    }
    const hash = first.userMetadata[CONTENT_HASH_KEY];
    const missing = partsOf(copy)
      .slice(1)
      .filter((part) => !listed.has(part.part!.index));
    const step = (next - first.position) / (missing.length + 1);
    const now = this.#now();
    const parts: JournalItem[] = [];
    for (const [at, part] of missing.entries()) {
      const id = randomUUID();
      const sha256 = typeof hash === 'string' ? identityOf(hash, part.part) : null;
      const duplicate = sha256 ? await this.#checks?.findDuplicate(sha256, id) : null;
      parts.push({
        ...first,
        id,
        position: first.position + step * (at + 1),
        copy: part,
        sha256,
        status: duplicate ?? fresh,
        bytesSent: 0,
        addedAt: now,
        updatedAt: now,
        attemptStartedAt: null,
        ...(first.index && { index: { id: first.index.id, name: first.index.name, state: 'waiting' as const } }),
      });
    }
    return parts;
  }

  /** Planned parts join the list at once (so the queue is never idle between), then the journal. */
  async #addParts(parts: readonly JournalItem[]): Promise<void> {
    for (const part of parts) {
      this.#items.set(part.id, part);
      this.#feed.touch(part.id);
    }
    if (parts.length > 0) await this.#journal.addParts(parts, this.#now());
  }

  /** Where an item goes when it goes on: to have its upload copy made, if it needs one, or the queue. */
  #goesOn(item: JournalItem): UploadStatus {
    return item.copy && !item.copy.made ? { kind: 'copying' } : { kind: 'queued' };
  }

  /** Puts items back to work: each in the queue, or first to have its copy made. */
  async #goOn(ids: readonly string[]): Promise<void> {
    const copying = ids.filter((id) => this.#goesOn(this.#items.get(id)!).kind === 'copying');
    const copied = new Set(copying);
    await this.#setStatuses(copying, { kind: 'copying' });
    await this.#setStatuses(
      ids.filter((id) => !copied.has(id)),
      { kind: 'queued' },
    );
  }

  /**
   * Stops items for good; their multipart sessions are forgotten once any report in flight has
   * landed. A file still being checked is not cancelled: it is removed, or it finishes its check.
   */
  async cancel(selection: Selection = 'all'): Promise<void> {
    await this.#act(() => this.#cancel(selection));
  }

  async #cancel(selection: Selection): Promise<void> {
    const ids = await this.#select(selection, (s) => can(s, 'cancel'));
    for (const id of ids) this.#applyStatus(id, { kind: 'cancelled' });
    await Promise.all(ids.map((id) => this.#stop(id, 'cancelled')));
    await this.#journal.resetItems(ids);
    // A cancelled file's copy leaves the cache: made again if it is retried.
    for (const id of ids) await this.#dropCopy(id);
    for (const id of ids) this.#feed.progress(id, 0);
    await this.#setStatuses(ids, { kind: 'cancelled' });
  }

  /**
   * Puts failed or cancelled items back in the queue (the file's size and time are read again
   * when it starts). A refused file is checked again, for after it was fixed; a duplicate is
   * uploaded anyway, because the person asked for it. Those two only when named: "retry all"
   * means the failed and cancelled ones.
   */
  async retry(selection: Selection = 'all'): Promise<void> {
    await this.#act(async () => {
      // Named files: a row's Retry and its "Upload anyway". All at once: `retriedWithAll`.
      const again = await this.#select(
        selection,
        (s) => (selection === 'all' ? retriedWithAll(s) : can(s, 'retry') || can(s, 'upload-anyway')),
        ['failed'],
      );
      await this.#goOn(again);
      if (this.#checks && selection !== 'all') {
        await this.#setStatuses(await this.#select(selection, (s) => can(s, 'check-again')), { kind: 'checking' });
      }
    });
    this.#checks?.pump();
    this.#pump();
  }

  /** Removes items from the list (stopping them first); their assets, if any, stay in the library. */
  async remove(ids: readonly string[]): Promise<void> {
    await this.#act(() => this.#remove(ids));
  }

  async #remove(ids: readonly string[]): Promise<void> {
    // Held, so the numbers lose them with the rows.
    await this.#hold(ids);
    // Remembered past the removal, so copies waiting on a removed item can be released.
    for (const id of ids) {
      const sha256 = this.#items.get(id)?.sha256;
      if (sha256) this.#gone.set(id, sha256);
    }
    for (const id of ids) this.#checks?.abort(id, 'removed');
    await Promise.all(ids.map((id) => this.#stop(id, 'removed')));
    for (const id of ids) {
      this.#followThrough.stop(id);
      this.#indexing.forget(id);
      await this.#copies?.discard(id);
    }
    await this.#journal.removeItems(ids, this.#now());
    this.#removals += 1;
    for (const id of ids) if (this.#items.delete(id)) this.#feed.removed(id);
    await this.#releaseCopies(ids);
    this.#feed.soon();
    this.#pump();
  }

  /**
   * Removes what is done (in the library, or already there) from the list, and says how many.
   * What needs attention (failed, refused, cancelled, waiting for a drive) stays, so it is not lost
   * by tidying up. For `undoMs` it can be undone: the rows leave at once, the journal's records
   * (and the batch history they go to) only after that, or when another clear or a close comes.
   */
  async clearFinished(): Promise<number> {
    return this.#act(async () => {
      await this.#commitClear();
      await this.#holdWhere({ kinds: DONE_KINDS });
      // A file still on its way into its index, or that its index could not take, stays.
      const done = [...this.#items.values()].filter((item) => rowGroup(item) === 'done').map((item) => item.id);
      for (const id of done) if (this.#items.delete(id)) this.#feed.removed(id);
      // A write that fails leaves the rows in the journal: they come back at the next start, not lost.
      const commit = () => void this.#commitClear().catch(() => undefined);
      this.#cleared = { ids: new Set(done), timer: setTimeout(commit, this.#undoMs) };
      this.#cleared.timer.unref();
      return done.length;
    });
  }

  /** Puts back what the last Clear finished took, while it can be undone; says how many came back. */
  async undoClear(): Promise<number> {
    const cleared = this.#cleared;
    if (!cleared) return 0;
    clearTimeout(cleared.timer);
    this.#cleared = null;
    return this.#act(async () => {
      const items = await this.#journal.itemsById([...cleared.ids]);
      // A file added again meanwhile keeps its new row; the old one stays cleared.
      const listed = await this.#listedAt(items.map((item) => item.path));
      const addedAgain = (item: JournalItem) => listed.get(item.path)?.some((other) => !cleared.ids.has(other.id));
      const again = items.filter(addedAgain);
      const back = items.filter((item) => !addedAgain(item)).sort((a, b) => a.position - b.position);
      for (const item of back) {
        this.#items.set(item.id, item);
        this.#feed.touch(item.id);
      }
      void this.#journal
        .removeItems(
          again.map((item) => item.id),
          this.#now(),
        )
        .catch(() => undefined);
      return back.length;
    });
  }

  async #commitClear(): Promise<void> {
    const cleared = this.#cleared;
    if (!cleared) return;
    clearTimeout(cleared.timer);
    await this.#journal.removeItems([...cleared.ids], this.#now());
    // Hidden until the journal no longer has them.
    if (this.#cleared === cleared) this.#cleared = null;
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
      this.#feed.soon();
    }
    return until;
  }

  /** Looks at the schedule again now (it changed, or the clock moved on). */
  reconsider(): void {
    this.#pump();
  }

  /** "Upload now": these go even outside the upload window, first in the queue. */
  async uploadNow(ids: readonly string[]): Promise<void> {
    await this.#act(() => this.#hold(ids));
    // Only files waiting their turn go.
    for (const id of ids) {
      const item = this.#items.get(id);
      if (item && can(item.status, 'upload-next')) this.#uploadNow.add(id);
    }
    await this.moveToTop(ids);
    this.#pump();
  }

  async moveToTop(ids: readonly string[]): Promise<void> {
    await this.#act(() => this.#moveToTop(ids));
  }

  async #moveToTop(ids: readonly string[]): Promise<void> {
    // Held first: a file from the shelf at the front of the line is held, as the front is.
    await this.#hold(ids);
    await this.#journal.moveToTop(ids);
    for (const id of ids) {
      const stored = await this.#journal.item(id);
      if (stored && this.#items.has(id)) this.#items.set(id, stored);
      this.#feed.touch(id);
    }
  }

  /** The batches this queue has seen, newest first; a batch is kept after its rows are cleared. */
  history(): Promise<BatchRecord[]> {
    return this.#journal.batches();
  }

  /** Every file of a batch, in the list, cleared from it or skipped, for the batch report. */
  report(batchId: string): Promise<ReportRow[]> {
    return this.#journal.reportRows(batchId);
  }

  /** A batch's first `limit` files, as History opens it, and how many it has in all. */
  reportPage(batchId: string, limit: number): Promise<{ files: ReportRow[]; total: number }> {
    return this.#journal.reportPage(batchId, limit);
  }

  /** Files an add skipped, kept with their batch so its report accounts for every file added. */
  recordSkipped(batchId: string, files: readonly SkippedRecord[]): Promise<void> {
    return this.#journal.recordSkipped(batchId, files, this.#now());
  }

  /** Where a file of any batch is (listed, cleared or skipped), for Show in folder. */
  reportedPath(id: string): Promise<string | undefined> {
    return this.#journal.reportedPath(id);
  }

  /** How many files are in any of `kinds` now, from the running counts (no pass over the queue). */
  countIn(kinds: readonly UploadStatusKind[]): number {
    return kinds.reduce((sum, kind) => sum + this.#items.tally.count(kind), 0);
  }

  totals(): UploadTotals {
    return this.#feed.totals();
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
    await this.#commitClear().catch((error: unknown) => this.#unlessStorage(error));
    clearTimeout(this.#fileTimer);
    clearTimeout(this.#letGoTimer);
    clearTimeout(this.#scheduleTimer);
    await this.#followThrough.close();
    await this.#indexing.close();
    await this.#checks?.close();
    await this.#copies?.close();
    await this.#failingCopies;
    this.gate.close();
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(id, 'closing')));
    this.#feed.close();
    for (const resolve of this.#roomWaiters) resolve();
    this.#roomWaiters = [];
  }

  /**
   * The files of `selection` an action `applies` to, held: named ones read back if need be, and
   * for all, the held ones and those in `finishedKinds` (a finished file may not be held).
   */
  async #select(
    selection: Selection,
    applies: (status: UploadStatus) => boolean,
    finishedKinds: readonly UploadStatusKind[] = [],
  ): Promise<string[]> {
    // Every file: the waiting and paused ones on the shelf too (held until the action is done).
    const shelved: UploadStatusKind[] = [
      ...(this.#items.shelved > 0 ? (['queued'] as const) : []),
      ...(this.#items.shelvedPaused > 0 ? (['paused'] as const) : []),
    ];
    if (selection === 'all') await this.#holdWhere({ kinds: [...finishedKinds, ...shelved] });
    else await this.#hold(selection);
    const ids = selection === 'all' ? [...this.#items.keys()] : selection;
    return ids.filter((id) => {
      const item = this.#items.get(id);
      return item !== undefined && applies(item.status);
    });
  }

  async #stop(id: string, reason: StopReason): Promise<void> {
    await this.#copies?.stop(id, reason);
    const running = this.#running.get(id);
    if (!running) return;
    running.controller.abort(reason);
    await running.done;
  }

  /**
   * The writer of an item's state where it waits for the journal: the move is checked against the
   * one table first (a refused move reaches neither the journal nor memory), then the journal is
   * written, then memory. Where the item moved on while the journal was written, so that this
   * move no longer applies, the journal is set back to what memory holds.
   */
  async #setStatus(id: string, status: UploadStatus): Promise<void> {
    await this.#setStatuses([id], status);
  }

  async #setStatuses(ids: readonly string[], status: UploadStatus): Promise<void> {
    const moving = ids.filter((id) => this.#items.mayMove(id, status));
    if (moving.length === 0) return;
    await this.#journal.setStatuses(moving, status, this.#now());
    const overtaken = moving.filter((id) => !this.#applyStatus(id, status) && this.#items.has(id));
    for (const id of overtaken) await this.#journal.setStatus(id, this.#items.get(id)!.status, this.#now());
    if (KINDS[status.kind].givesUp) await this.#releaseCopies(moving);
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
      const copies = [...this.#items.withHash(sha256)].filter((other) => other.id !== id);
      const waiting = copies.filter((other) => other.status.kind === 'duplicate' && other.status.assetId === null);
      // Still covered while another copy of the content is on its way.
      if (copies.some((other) => KINDS[other.status.kind].onItsWay)) continue;
      const [first, ...rest] = waiting;
      if (!first) continue;
      moves.push([first.id, this.#goesOn(first)]);
      for (const other of rest) moves.push([other.id, { kind: 'duplicate', assetId: null, of: first.name }]);
    }
    const applied = moves.filter(([id, status]) => this.#applyStatus(id, status));
    this.#pump();
    const now = this.#now();
    return Promise.all(applied.map(([id, status]) => this.#journal.setStatus(id, status, now))).then(() => undefined);
  }

  /**
   * A check's decision, written here: the checked facts and the move in memory in this turn (so a
   * cancel or remove from now on sees them), the other parts listed, then the journal.
   */
  async #decided(id: string, { checked, next, parts, sizeBefore, notice, copy }: CheckDecision): Promise<void> {
    this.#items.set(id, checked);
    const moved = this.#applyStatus(id, next);
    const added = this.#addParts(parts);
    if (checked.size !== sizeBefore) await this.#journal.updateFileFacts(id, checked.size, checked.mtimeMs);
    await this.#journal.setChecked(id, { ...checked, notice, copy });
    if (moved) await this.#journal.setStatus(id, next, this.#now());
    await added;
    this.#pump();
  }

  /** An upload copy made whole: it goes in the original's place, sent as its size and kind ask. */
  async #copyMade(id: string, copy: UploadCopy): Promise<void> {
    const current = this.#items.get(id);
    if (!current) return;
    const strategy = this.#strategyFor({ kind: current.kind, size: copy.made?.size ?? current.size });
    await this.#journal.setCopy(id, copy, strategy);
    const now = this.#items.get(id);
    if (now) this.#items.set(id, { ...now, copy, strategy });
    await this.#setStatus(id, { kind: 'queued' });
  }

  /** A file that changed while it was checked: its new size and time, said on its row, then saved. */
  async #changing(id: string, facts: FileFacts): Promise<void> {
    const current = this.#items.get(id);
    if (!current) return;
    this.#items.set(id, { ...current, size: facts.size, mtimeMs: facts.mtimeMs, notice: m.check_still_written() });
    this.#feed.touch(id);
    await this.#journal.updateFileFacts(id, facts.size, facts.mtimeMs);
  }

  /**
   * The writer of an item's state in memory, for moves decided in the same turn as what caused
   * them (their journal write follows): a move the one table refuses is not made. Says whether the
   * item moved.
   */
  #applyStatus(id: string, status: UploadStatus): boolean {
    const item = this.#items.get(id);
    if (!item) return false;
    const bytesSent = this.#feed.bytes(id) ?? item.bytesSent;
    if (!this.#items.move(id, status, { bytesSent, updatedAt: this.#now() })) return false;
    this.#feed.touch(id);
    // In the library now (uploaded, or found there already): on into its index, if it has one.
    if (inLibrary(status) && this.#started && indexPending(item.index)) this.#indexing.start(id);
    this.#checkIdleSoon();
    return true;
  }

  /** Where an item stands with its index: the journal first, then memory and the window. */
  async #setIndex(id: string, index: ItemIndex): Promise<void> {
    if (!this.#items.has(id)) return;
    await this.#journal.setIndex(id, index);
    const item = this.#items.get(id);
    if (!item) return;
    this.#items.set(id, { ...item, index });
    this.#feed.touch(id);
    this.#checkIdleSoon();
    const assetId = 'assetId' in item.status ? item.status.assetId : undefined;
    if (assetId && (index.state === 'indexing' || index.state === 'searchable') && item.index?.state !== index.state)
      this.emit('indexed', assetId, { id: index.id, name: index.name });
  }

  /**
   * Asks again for files TwelveLabs could not index, or that waited on an index that was gone:
   * what arrived is found first, so nothing is indexed (and billed) twice.
   */
  async retryIndexing(selection: Selection = 'all'): Promise<void> {
    await this.#act(async () => {
      if (selection === 'all') await this.#holdWhere({ indexStates: ['failed', 'held'] });
      else await this.#hold(selection);
      const ids = (selection === 'all' ? [...this.#items.keys()] : selection).filter((id) => {
        const state = this.#items.get(id)?.index?.state;
        return state === 'failed' || state === 'held';
      });
      for (const id of ids) {
        const { index } = this.#items.get(id)!;
        const { message: _message, ...rest } = index!;
        await this.#setIndex(id, { ...rest, state: 'requesting' });
        this.#indexing.start(id);
      }
    });
  }

  /** Once per turn of the event loop, not once per item: a 10,000-item change stays linear. */
  #checkIdleSoon(): void {
    if (this.#idleCheck) return;
    this.#idleCheck = setImmediate(() => {
      this.#idleCheck = undefined;
      if (this.#roomWaiters.length > 0 && !this.#noRoom()) {
        const waiters = this.#roomWaiters;
        this.#roomWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (!this.#items.idle) return;
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
      this.emit('idle');
    });
  }

  /** Starts waiting items, in queue order, while file slots are free (and copies to be made). */
  #pump(): void {
    if (!this.#started || this.#closed || this.gate.holdsForStorage) return;
    this.#copies?.pump();
    // Copies planned while FFmpeg was there, and it is gone now: said, never waited on for ever.
    if (!this.#copies && this.#items.copying.size > 0 && !this.#failingCopies) {
      const ids = [...this.#items.copying];
      this.#failingCopies = this.#setStatuses(ids, {
        kind: 'failed',
        code: 'copy_failed',
        message: m.copy_no_ffmpeg(),
        retryable: true,
      })
        .catch((error: unknown) => this.#unlessStorage(error))
        .finally(() => (this.#failingCopies = null));
    }
    const held = this.#scheduleHold();
    // The next few by queue position; outside the upload window only what the person said to
    // upload now goes (few, so read apart from the whole line).
    const free = this.#fileSlots.free;
    const chosen = (
      held === null
        ? this.#items.nextQueued(free, (id) => !this.#running.has(id))
        : [...this.#uploadNow]
            .filter((id) => this.#items.queued.has(id) && !this.#running.has(id))
            .sort((a, b) => this.#items.get(a)!.position - this.#items.get(b)!.position)
            .slice(0, free)
    ).map((id) => this.#items.get(id)!);
    if (held === null && chosen.length < free) this.#unshelve();
    for (const item of chosen) {
      const release = this.#fileSlots.tryAcquire();
      if (!release) break;
      const controller = new AbortController();
      // Every chunk worker of a file listens on this signal; dozens of listeners are expected.
      setMaxListeners(64, controller.signal);
      const done = this.#run(item.id, controller).finally(() => {
        release();
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
      const item = await this.#fileAsItIs(id);
      const assetId = await this.#strategies[item.strategy](item, controller);
      this.#feed.progress(id, item.size);
      // One write: every byte sent, the create over (nothing left to reconcile), now processing.
      if (this.#items.has(id)) {
        await this.#journal.markSent(id, assetId, item.size, this.#now());
        this.#applyStatus(id, { kind: 'processing', assetId });
      }
      // Sent: the copy has done its work, and its room in the cache is given back.
      await this.#dropCopy(id);
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
        await this.#journal.setBytesSent(id, this.#feed.bytes(id) ?? 0).catch(() => undefined);
        if (reason === 'closing') {
          await this.#journal.setStatus(id, { kind: 'queued' }, this.#now());
        } else if (reason === 'schedule') {
          // The window closed: back to waiting, what was sent kept, until it opens again.
          await this.#setStatus(id, { kind: 'queued' });
        } else if (reason === null && error instanceof FileProblem && error.code === 'file_missing') {
          await this.#setStatus(id, { kind: 'file-missing' });
        } else if (reason === null && error instanceof CopyGone) {
          // The cache was emptied under it: the copy is made again, never sent from what is left.
          await this.#dropCopy(id);
          await this.#setStatus(id, { kind: 'copying' });
        } else if (reason === null && error instanceof FileProblem && error.code === 'file_changed') {
          await this.#changedWhileSent(id);
        } else if (reason === null) {
          await this.#setStatus(id, this.#failure(id, error));
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

  /** Re-reads the file before sending: a missing one waits for it, a changed one is checked again. */
  async #fileAsItIs(id: string): Promise<JournalItem> {
    const item = this.#items.get(id)!;
    if (item.strategy === 'url') return item;
    if (item.copy) {
      const made = item.copy.made;
      const facts = made && (await readFacts(made.path));
      if (!made || !facts || !sameFacts(facts, made)) throw new CopyGone();
      return uploadSource(item, made);
    }
    const now = await readFacts(item.path);
    if (!now) throw new FileProblem('file_missing');
    if (!sameFacts(now, item)) throw new FileProblem('file_changed');
    return item;
  }

  /**
   * The file changed before or while it was sent: still being written (a render, a copy), not a
   * failure. What was sent of the old version is dropped; the file goes back to be checked (its
   * type, rules and fingerprint are of the old bytes) once it has held still for the settle time.
   * Without checks it is simply queued again, from zero, as it is now.
   */
  async #changedWhileSent(id: string): Promise<void> {
    const item = this.#items.get(id);
    if (!item) return;
    const facts = await readFacts(item.path);
    await this.#journal.dropSession(id);
    await this.#journal.setBytesSent(id, 0);
    this.#feed.forget(id);
    if (!facts) {
      await this.#setStatus(id, { kind: 'file-missing' });
      return;
    }
    await this.#journal.updateFileFacts(id, facts.size, facts.mtimeMs);
    this.#items.set(id, { ...item, ...facts, bytesSent: 0 });
    if (!this.#checks) {
      await this.#setStatus(id, { kind: 'queued' });
      return;
    }
    await this.#journal.setStatus(id, { kind: 'checking' }, this.#now());
    // In the same turn as the move, so no check starts before the settle time has passed.
    this.#applyStatus(id, { kind: 'checking' });
    await this.#checks.stillBeingWritten(id, facts);
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
            message: this.#refusedWords(id, plainError('processing_failed').message),
            ...(asset.error?.message && { detail: asset.error.message }),
            retryable: false,
            assetId,
          },
    );
    this.emit('processed', asset);
  }

  /**
   * A refusal that says only "could not use this file", for a file whose check found what a model
   * cannot use (a 64×64 image): the finding is the likely why, in the file's own numbers.
   */
  #refusedWords(id: string, message: string): string {
    const finding = checkFindings(this.#items.get(id)?.notice);
    return finding ? m.error_refused_finding({ finding }) : message;
  }

  /** Any error as a failed status, in the catalogue's words (`describeFailure`). */
  #failure(id: string, error: unknown): UploadStatus {
    const { code, words, detail, retryable } = describeFailure(error);
    return {
      kind: 'failed',
      code,
      message: code === 'parameter_invalid' ? this.#refusedWords(id, words) : words,
      ...(detail !== undefined && { detail }),
      retryable,
    };
  }

  async #notice(id: string, notice: string | null): Promise<void> {
    await this.#journal.setNotice(id, notice);
    const item = this.#items.get(id);
    if (item) {
      const { notice: _old, ...rest } = item;
      this.#items.set(id, notice === null ? rest : { ...rest, notice });
    }
    this.#feed.touch(id);
  }

  /** Removes an item's upload copy from the cache and forgets it was made (it is made again if needed). */
  async #dropCopy(id: string): Promise<void> {
    const item = this.#items.get(id);
    if (!item?.copy?.made || !this.#copies) return;
    await this.#copies.discard(id);
    const { made: _made, ...copy } = item.copy;
    await this.#journal.setCopy(id, copy, item.strategy);
    const current = this.#items.get(id);
    if (current) this.#items.set(id, { ...current, copy });
  }
}
