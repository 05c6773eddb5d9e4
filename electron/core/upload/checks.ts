import { CONTENT_HASH_KEY } from '../../shared/metadata';
import { m } from '../../shared/i18n';
import { identityOf, type UploadCopy } from '../../shared/upload-copy';
import { isSent, type MediaKind, type UploadStatus, type UploadStrategy } from '../../shared/uploads';
import { Limiter } from '../util/limiter';
import { once } from '../util/once';
import { DiskReaders } from '../media/disks';
import type { ReadersPerDisk } from '../../shared/settings';
import { linkIdentity } from '../media/link-check';
import type { CheckResult } from '../media/preflight';
import { describeFacts } from '../media/probe';
import { partsOf } from '../media/copy-plan';
import type { Journal, JournalItem } from './journal';
import { readFacts, sameFacts, type FileFacts } from './file-facts';
import type { ItemTable } from './item-table';

/** Waiting files a pump looks past (their disk busy) for one on another disk before it stops. */
const LOOK_PAST = 1000;

/**
 * Pumps a look past found in vain lets pass before the next looks again all the same: files leave
 * the front as they are checked, so others come within reach, and one on another disk is found
 * within this many checks' ends.
 */
const LOOK_AGAIN_AFTER = 50;

/** What a check is given: a file's path, or a link (strategy `url`) as its path. */
export interface CheckTarget {
  readonly path: string;
  readonly size: number;
  readonly strategy: UploadStrategy;
}

export type Check = (item: CheckTarget, signal: AbortSignal) => Promise<CheckResult>;

/** An asset already in the library with this content, for duplicate detection. */
export type FindAsset = (sha256: string) => Promise<{ readonly assetId: string; readonly name: string } | null>;

export interface ChecksOptions {
  readonly check: Check;
  readonly items: ItemTable;
  readonly journal: Journal;
  readonly now: () => number;
  readonly inFlight: number;
  /** Files read at once from one disk (see `DiskReaders`). */
  readonly readersPerDisk: () => ReadersPerDisk;
  readonly findAsset: FindAsset | undefined;
  readonly strategyFor: (file: { readonly kind: MediaKind | null; readonly size: number }) => UploadStrategy;
  /** Whether checks may start now (the engine started, not closed, the queue writable). */
  readonly mayRun: () => boolean;
  /**
   * Takes a check's decision: the engine writes it (memory, then the journal) and may start the
   * file. Checks read the queue; only the engine writes it.
   */
  readonly decided: (id: string, decision: CheckDecision) => Promise<void>;
  /** Takes a file that changed while it was checked: its new size and time, and the notice. */
  readonly changing: (id: string, facts: FileFacts) => Promise<void>;
  /** A storage failure holds the queue; anything else is thrown on. */
  readonly unlessStorage: (error: unknown) => void;
  /** The other parts of a programme copied in parts, planned from its first (the engine's). */
  readonly planParts: (first: JournalItem, fresh: UploadStatus) => Promise<JournalItem[]>;
  /** How long a file that changed while it was checked is left alone before the next check. */
  readonly settleMs?: number;
}

/** What a check decided of a file, for the engine to write. */
export interface CheckDecision {
  /** The item as its check found it: kind, size, strategy, fingerprint, metadata, notice, copy. */
  readonly checked: JournalItem;
  /** Where it goes: queued, to be copied, refused, or a duplicate. */
  readonly next: UploadStatus;
  /** The other parts of a programme copied in parts, each its own row after this one. */
  readonly parts: readonly JournalItem[];
  /** The size the list had for it before the check read it. */
  readonly sizeBefore: number;
  readonly notice: string | null;
  readonly copy: UploadCopy | null;
}

interface RunningCheck {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

/**
 * Every added file is read before it may upload (type, probe, rules, content hash), a few at a
 * time in the order they were added, and what follows is decided: refused with the reason,
 * already in the library or the queue, or queued with its content hash in its metadata.
 */
export class Checks {
  readonly #options: ChecksOptions;
  readonly #slots: Limiter;
  readonly #disks: DiskReaders;
  readonly #running = new Map<string, RunningCheck>();
  /**
   * Checks end in any order, but what follows from them is decided one at a time, so two copies
   * of the same file checked side by side cannot both miss each other and both upload.
   */
  #decisions: Promise<void> = Promise.resolve();
  /** What the last pump that looked past files of busy disks and started none of them passed over. */
  #inVain: { readonly disks: ReadonlySet<string>; readonly found: number; passes: number } | null = null;
  /** Files still being written, each with the timer that checks it again. */
  readonly #settling = new Map<string, NodeJS.Timeout>();

  constructor(options: ChecksOptions) {
    this.#options = options;
    this.#slots = new Limiter(options.inFlight);
    this.#disks = new DiskReaders(options.readersPerDisk, () => this.pump());
  }

  /**
   * Starts checks of waiting files, in the order they were added, while slots are free and each
   * file's disk has a reader free: files behind those of a busy disk, on another disk, go first.
   */
  pump(): void {
    if (!this.#options.mayRun()) return;
    // The disks of the files looked past; null until the first is.
    let passed: Set<string> | null = null;
    let count = 0;
    let started = false;
    for (const id of this.#options.items.checking) {
      if (this.#slots.free === 0) return;
      if (this.#running.has(id) || this.#settling.has(id)) continue;
      const item = this.#options.items.get(id);
      if (!item) continue;
      // A link is read by TwelveLabs' side, not from a disk here.
      const reader = item.strategy === 'url' ? () => undefined : this.#disks.tryAcquire(item.path);
      if (!reader) {
        if (passed === null) {
          if (this.#lookedInVain()) return;
          passed = new Set();
        }
        const disk = this.#disks.busyDisk(item.path);
        if (disk !== null) passed.add(disk);
        // Looked past this far only, so a pump costs the same in a queue of a million.
        if ((count += 1) >= LOOK_PAST) break;
        continue;
      }
      if (passed !== null) started = true;
      const release = this.#slots.tryAcquire()!;
      const controller = new AbortController();
      const done = this.#run(id, controller.signal).finally(() => {
        release();
        reader();
        this.#running.delete(id);
        this.pump();
      });
      this.#running.set(id, { controller, done });
    }
    if (passed !== null) {
      this.#inVain = started ? null : { disks: passed, found: this.#disks.found, passes: LOOK_AGAIN_AFTER };
    }
  }

  /**
   * Whether looking past the files of busy disks would find what the last look found: nothing to
   * start. So it is taken to be while every disk it passed over is still busy and no other disk
   * has been found, for `LOOK_AGAIN_AFTER` pumps; without this, each check that ends (the busy
   * disk's own, mostly) would look past a thousand files again, a million times over an archive.
   */
  #lookedInVain(): boolean {
    const last = this.#inVain;
    if (!last || last.found !== this.#disks.found || last.passes <= 0) return false;
    for (const disk of last.disks) if (!this.#disks.full(disk)) return false;
    last.passes -= 1;
    return true;
  }

  /** Stops the check of `id`, if one runs; the item's fate is its caller's. */
  abort(id: string, reason: string): void {
    this.#running.get(id)?.controller.abort(reason);
  }

  /** Stops every check; one cut off stays 'checking' in the journal and runs again next start. */
  async close(): Promise<void> {
    for (const timer of this.#settling.values()) clearTimeout(timer);
    this.#settling.clear();
    for (const { controller } of this.#running.values()) controller.abort('closing');
    await Promise.all([...this.#running.values()].map(({ done }) => done));
  }

  /**
   * The same content earlier in this queue (of the files held): uploaded, already there as a
   * known asset, or still on its way. The first copy that knows the asset answers, so a check
   * among thousands of copies of one photo costs one step, not a walk through them.
   */
  #queueDuplicate(sha256: string, id: string): UploadStatus | null {
    for (const other of this.#options.items.withHash(sha256)) {
      if (other.id === id) continue;
      const { status } = other;
      if (isSent(status)) {
        return { kind: 'duplicate', assetId: status.assetId, of: other.name };
      }
      if (status.kind === 'duplicate' && status.assetId !== null) {
        return { kind: 'duplicate', assetId: status.assetId, of: status.of };
      }
      if (!['failed', 'rejected', 'cancelled', 'duplicate'].includes(status.kind)) {
        return { kind: 'duplicate', assetId: null, of: other.name };
      }
    }
    return null;
  }

  async #run(id: string, signal: AbortSignal): Promise<void> {
    const item = this.#options.items.get(id);
    if (!item) return;
    let result: CheckResult;
    try {
      result = await this.#options.check(item, signal);
    } catch (error) {
      if (signal.aborted) return;
      result = {
        ok: false,
        kind: item.kind,
        mime: item.mime,
        facts: null,
        code: 'file_unreadable',
        message: m.check_read_failed({ error: (error as NodeJS.ErrnoException).code ?? (error as Error).message }),
      };
    }
    if (signal.aborted) return;
    // A render or copy still growing reads as cut off; what it is is decided once it has settled.
    if (item.strategy !== 'url') {
      const facts = await readFacts(item.path);
      if (facts && !sameFacts(facts, item)) {
        await this.stillBeingWritten(id, facts).catch((error: unknown) => this.#options.unlessStorage(error));
        return;
      }
    }
    const decision = this.#decisions.then(() => this.#decide(id, result));
    this.#decisions = decision.catch(() => undefined);
    // Not saved: the file stays 'checking' and is checked again once the queue can be written.
    await decision.catch((error: unknown) => this.#options.unlessStorage(error));
  }

  async #decide(id: string, result: CheckResult): Promise<void> {
    const { items } = this.#options;
    const current = items.get(id);
    if (!current || current.status.kind !== 'checking') return;
    const kind = result.kind ?? current.kind;
    const link = current.strategy === 'url';
    // A link is known by its address (its content would have to be downloaded to be hashed).
    const hash = result.ok
      ? link
        ? (result.sha256 ?? linkIdentity(current.path))
        : result.sha256
      : (result.sha256 ?? null);
    // An upload copy goes in the file's place; one offered waits for a person beside the refusal.
    // A later part of a programme checked again stays that part.
    const place = current.copy?.part;
    const copy =
      result.copy?.part && place && place.of === result.copy.part.of
        ? (partsOf(result.copy)[place.index - 1] ?? null)
        : (result.copy ?? null);
    // One part of a programme is known by the original's content and its place among the parts.
    const sha256 = hash && identityOf(hash, copy?.part);
    const notice = result.ok && result.warnings.length > 0 ? result.warnings.join(' ') : null;
    const size = result.size ?? current.size;
    // A "still being written" from an earlier check is no longer true once the file was read whole.
    const { notice: _earlier, ...base } = current;
    const { copy: _planned, ...unplanned } = base;
    const checked = {
      ...unplanned,
      // A media thread's answer is a copy: its strings are shared here, not held once per file.
      kind: once(kind),
      mime: once(result.mime),
      size,
      strategy: link ? ('url' as const) : this.#options.strategyFor({ kind, size }),
      sha256,
      userMetadata: hash && !link ? { ...current.userMetadata, [CONTENT_HASH_KEY]: hash } : current.userMetadata,
      ...(notice !== null && { notice }),
      ...(typeof result.facts?.durationSeconds === 'number' && { durationSeconds: result.facts.durationSeconds }),
      ...(copy && { copy }),
    };
    // What the file's check decides, unless the same content is already uploaded or on its way.
    const fresh: UploadStatus = result.ok
      ? { kind: copy ? 'copying' : 'queued' }
      : {
          kind: 'rejected',
          code: result.code,
          message: result.message,
          ...(result.facts && { detail: describeFacts(result.facts) }),
        };
    // A copy of an original already uploaded (as itself or as a copy) is neither made nor offered again.
    const duplicate = sha256 ? await this.#duplicate(sha256, id) : null;
    let next = duplicate?.status ?? fresh;
    // A programme copied in parts: the others go with the first, each a duplicate or as the first would be.
    const parts = next.kind === 'rejected' ? [] : await this.#options.planParts({ ...checked, status: next }, fresh);
    // Decided in memory first: a cancel or remove from here on sees the new state, never 'checking'.
    if (items.get(id)?.status.kind !== 'checking') return;
    // The original this copy would wait on may have failed or gone while the lookups above ran.
    // One on the shelf has not: anything done to it holds it first.
    if (next.kind === 'duplicate' && next.assetId === null && sha256) {
      const shelved = duplicate?.shelved;
      next = this.#queueDuplicate(sha256, id) ?? (shelved !== undefined && !items.has(shelved) ? next : fresh);
    }
    await this.#options.decided(id, { checked, next, parts, sizeBefore: current.size, notice, copy });
  }

  /**
   * The file changed while it was checked (or sent, when the engine puts it back here): it keeps
   * checking, says so, takes its new size and time, and is checked again after the settle time
   * (and again, until it holds still).
   */
  async stillBeingWritten(id: string, facts: FileFacts): Promise<void> {
    const current = this.#options.items.get(id);
    if (!current || current.status.kind !== 'checking') return;
    const timer = setTimeout(() => {
      this.#settling.delete(id);
      this.pump();
    }, this.#options.settleMs ?? 3000);
    this.#settling.set(id, timer);
    await this.#options.changing(id, facts);
  }

  /**
   * The same content waiting its turn or paused among the files memory does not hold (the
   * journal's; one held is answered by memory, which is ahead).
   */
  async #shelvedDuplicate(sha256: string, id: string): Promise<{ status: UploadStatus; shelved: string } | null> {
    const { items, journal } = this.#options;
    if (items.shelved === 0 && items.shelvedPaused === 0) return null;
    const twin = (await journal.waitingWith(sha256, 8)).find((other) => other.id !== id && !items.has(other.id));
    return twin ? { status: { kind: 'duplicate', assetId: null, of: twin.name }, shelved: twin.id } : null;
  }

  /** The same content already uploaded (or on its way) from this queue, this machine or the library. */
  async findDuplicate(sha256: string, id: string): Promise<UploadStatus | null> {
    return (await this.#duplicate(sha256, id))?.status ?? null;
  }

  /** `findDuplicate`, saying which shelved file a copy would wait on, if it is one. */
  async #duplicate(sha256: string, id: string): Promise<{ status: UploadStatus; shelved?: string } | null> {
    const held = this.#queueDuplicate(sha256, id);
    if (held) return { status: held };
    const shelved = await this.#shelvedDuplicate(sha256, id);
    if (shelved) return shelved;
    const known = (await this.#options.journal.uploadedAs(sha256)) ?? (await this.#options.findAsset?.(sha256)) ?? null;
    return known && { status: { kind: 'duplicate', assetId: known.assetId, of: known.name } };
  }
}
