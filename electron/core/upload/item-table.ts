import { hasWorkAhead, isFinished, type UploadStatus } from '../../shared/uploads';
import { canMove } from '../../shared/upload-status';
import type { JournalItem } from './journal';
import { QueueTally } from './queue-tally';

/** A move the one table of moves does not allow: "uploading -> checking". */
export type RefusedMove = (id: string, move: string) => void;

/**
 * Ids by one key of their item (its content hash, its path), each key's ids in the order they came.
 * Nearly every key has one id: that one is kept as itself, and a set only once a second comes, so
 * an index costs a map entry per item, not a set per item.
 */
class IdsBy {
  readonly #ids = new Map<string, string | Set<string>>();
  readonly #keyOf: (item: JournalItem) => string | null;

  constructor(keyOf: (item: JournalItem) => string | null) {
    this.#keyOf = keyOf;
  }

  /** The ids under `key`, read as they are used: a search that stops at the first costs one. */
  *get(key: string): Generator<string> {
    const ids = this.#ids.get(key);
    if (typeof ids === 'string') yield ids;
    else if (ids) yield* ids;
  }

  /** Files `id` under the key of `after` instead of that of `before`; one that stays keeps its place. */
  update(id: string, before: JournalItem | undefined, after: JournalItem | undefined): void {
    const from = before ? this.#keyOf(before) : null;
    const to = after ? this.#keyOf(after) : null;
    if (from === to) return;
    if (from !== null) {
      const ids = this.#ids.get(from);
      if (ids === id) this.#ids.delete(from);
      else if (ids instanceof Set) {
        ids.delete(id);
        if (ids.size === 1) this.#ids.set(from, ids.values().next().value!);
      }
    }
    if (to !== null) {
      const ids = this.#ids.get(to);
      if (ids === undefined) this.#ids.set(to, id);
      else if (typeof ids === 'string') this.#ids.set(to, new Set([ids, id]));
      else ids.add(id);
    }
  }
}

/**
 * The queued ids by their place in the queue, lowest first, in log time however long the queue: a
 * binary heap of (position, id). An entry whose item has left the queue or moved place is dropped
 * when it comes to the top, so nothing is searched for on the way out.
 */
class WaitingLine {
  readonly #heap: { readonly position: number; readonly id: string }[] = [];

  push(id: string, position: number): void {
    const heap = this.#heap;
    heap.push({ position, id });
    for (let at = heap.length - 1; at > 0;) {
      const parent = (at - 1) >> 1;
      if (heap[parent]!.position <= heap[at]!.position) break;
      [heap[parent], heap[at]] = [heap[at]!, heap[parent]!];
      at = parent;
    }
  }

  pop(): { readonly position: number; readonly id: string } | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let at = 0; ;) {
        const left = at * 2 + 1;
        const right = left + 1;
        let least = at;
        if (left < heap.length && heap[left]!.position < heap[least]!.position) least = left;
        if (right < heap.length && heap[right]!.position < heap[least]!.position) least = right;
        if (least === at) break;
        [heap[least], heap[at]] = [heap[at]!, heap[least]!];
        at = least;
      }
    }
    return top;
  }
}

/**
 * Whether an item may leave memory: finished, with nothing ahead of it (not on its way into an
 * index, nor held for an index that is not there, which is asked again each round), not waiting
 * on another copy of its content, and with no upload copy in the cache (the cache's sweep keeps
 * the copies of the items held).
 */
function settles(item: JournalItem): boolean {
  const { status } = item;
  if (!isFinished(status) || hasWorkAhead(item) || item.copy?.made || item.index?.state === 'held') return false;
  return !(status.kind === 'duplicate' && status.assetId === null);
}

/**
 * The queue's items that move, in memory, with the questions the scheduler asks on every change
 * answered without a scan: which items wait, is anything still to do, which items have this
 * content or path, and the queue's numbers (`tally`), which count every item in the journal,
 * held or not. A finished item is held until it is let go (`evict`); after that the journal
 * holds it, and it is held again (`hold`) when something is to be done to it.
 */
export class ItemTable {
  readonly #items = new Map<string, JournalItem>();
  readonly #byHash = new IdsBy((item) => item.sha256);
  /** A path failed or cancelled may have a newer row beside it. */
  readonly #byPath = new IdsBy((item) => item.path);
  /** Ids waiting to start, in insertion order. */
  readonly queued = new Set<string>();
  /** Ids waiting for their check, in insertion order. */
  readonly checking = new Set<string>();
  /** Ids whose upload copy is to be made, in insertion order. */
  readonly copying = new Set<string>();
  /** Ids sending now. */
  readonly uploading = new Set<string>();
  /** Ids paused, held. */
  readonly paused = new Set<string>();
  readonly #active = new Set<string>();
  /** Held items that may leave memory (`settles`), the longest settled first. */
  readonly #settled = new Set<string>();
  readonly #line = new WaitingLine();
  /**
   * The lowest place of a queued file memory does not hold (shelved, `shelve`), Infinity when it
   * holds them all: held files from there on wait until the shelf's front is read back
   * (`unshelve`), so the queue's order stays the journal's.
   */
  #shelvedFrom = Infinity;
  /** Shelved files per watched folder they came from: a folder's count of files still to go. */
  readonly #shelvedIn = new Map<string, number>();
  /** The queue's numbers, kept with every change. */
  readonly tally = new QueueTally();
  readonly #refused: RefusedMove;

  /** `refused` hears of every move `move` refuses (none, unless there is a bug). */
  constructor(refused: RefusedMove = () => undefined) {
    this.#refused = refused;
  }

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

  /**
   * Items whose content hashes to `sha256`, in the order they came, one at a time: thousands of
   * copies of one photo cost a check that finds the first only that one.
   */
  *withHash(sha256: string): Generator<JournalItem> {
    for (const id of this.#byHash.get(sha256)) {
      const item = this.#items.get(id);
      if (item) yield item;
    }
  }

  /** Items listed for the file at `path`, oldest first. */
  withPath(path: string): JournalItem[] {
    return [...this.#byPath.get(path)].flatMap((id) => this.#items.get(id) ?? []);
  }

  /**
   * Holds an item read back from the journal, already counted; one held already stays as it is
   * (memory is ahead of the journal).
   */
  hold(item: JournalItem): void {
    if (this.#items.has(item.id)) return;
    // A waiting or paused file memory did not hold was on the shelf.
    if (item.status.kind === 'queued' || item.status.kind === 'paused') this.#countShelved(item, -1);
    this.#byHash.update(item.id, undefined, item);
    this.#byPath.update(item.id, undefined, item);
    this.#items.set(item.id, item);
    this.#index(item.id, item, undefined);
    if (this.shelved === 0) this.#shelvedFrom = Infinity;
  }

  /** Queued files the journal holds and memory does not: counted, not held. */
  get shelved(): number {
    return this.tally.count('queued') - this.queued.size;
  }

  /** Paused files the journal holds and memory does not. */
  get shelvedPaused(): number {
    return this.tally.count('paused') - this.paused.size;
  }

  /** Where the shelf begins: the lowest place a shelved file may have (Infinity: none is). */
  get shelvedFrom(): number {
    return this.#shelvedFrom;
  }

  /**
   * Lets a queued or paused file go from memory, the journal holding it as memory does; it stays
   * counted, and comes back with the shelf's front (`unshelve`, a queued one) or when something
   * is done to it (`hold`).
   */
  shelve(id: string): void {
    const item = this.#items.get(id);
    const kind = item?.status.kind;
    if (!item || (kind !== 'queued' && kind !== 'paused')) return;
    this.#byHash.update(id, item, undefined);
    this.#byPath.update(id, item, undefined);
    this.#items.delete(id);
    this.queued.delete(id);
    this.paused.delete(id);
    this.#active.delete(id);
    if (kind === 'queued') this.#shelvedFrom = Math.min(this.#shelvedFrom, item.position);
    this.#countShelved(item, 1);
  }

  /** Shelved files (waiting or paused) that came from the watched folder at `path`. */
  shelvedIn(path: string): number {
    return this.#shelvedIn.get(path) ?? 0;
  }

  #countShelved({ watchFolder }: JournalItem, sign: 1 | -1): void {
    if (watchFolder === undefined) return;
    const count = (this.#shelvedIn.get(watchFolder) ?? 0) + sign;
    if (count > 0) this.#shelvedIn.set(watchFolder, count);
    else this.#shelvedIn.delete(watchFolder);
  }

  /**
   * Holds the shelf's front read from the journal (`rows`, queue order, from `shelvedFrom`):
   * `next` is the place of the first row left on the shelf, Infinity when none was.
   */
  unshelve(rows: readonly JournalItem[], next: number): void {
    for (const row of rows) this.hold(row);
    this.#shelvedFrom = this.shelved === 0 ? Infinity : next;
  }

  /** Held items that may leave memory, the longest settled first. */
  settled(): IterableIterator<string> {
    return this.#settled.values();
  }

  get settledCount(): number {
    return this.#settled.size;
  }

  get size(): number {
    return this.#items.size;
  }

  /** Lets a settled item go from memory: the journal has it, and the numbers still count it. */
  evict(id: string): void {
    const item = this.#items.get(id);
    if (!item || !this.#settled.has(id)) return;
    this.#byHash.update(id, item, undefined);
    this.#byPath.update(id, item, undefined);
    this.#settled.delete(id);
    this.#items.delete(id);
  }

  /** Stores `item`; one not held is new to the queue, and counted. */
  set(id: string, item: JournalItem): void {
    const before = this.#items.get(id);
    this.#byHash.update(id, before, item);
    this.#byPath.update(id, before, item);
    this.tally.change(before, item);
    this.#items.set(id, item);
    this.#index(id, item, before);
  }

  /**
   * Up to `count` queued ids by their place in the queue, lowest first, passing over those
   * `passes` says no to; costs the ids read, not the queue. None from the shelf's place on: the
   * shelf's front comes first (fewer than `count` while it is read back).
   */
  nextQueued(count: number, passes: (id: string) => boolean): string[] {
    const next: string[] = [];
    const read: { readonly position: number; readonly id: string }[] = [];
    const seen = new Set<string>();
    while (next.length < count) {
      const entry = this.#line.pop();
      if (!entry) break;
      // Left the queue, moved place, or an older entry for the same place: dropped for good.
      if (!this.queued.has(entry.id) || this.#items.get(entry.id)?.position !== entry.position) continue;
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      if (entry.position >= this.#shelvedFrom) {
        read.push(entry);
        break;
      }
      read.push(entry);
      if (passes(entry.id)) next.push(entry.id);
    }
    // Still queued until they move: back in line, to be dropped once they have.
    for (const entry of read) this.#line.push(entry.id, entry.position);
    return next;
  }

  /**
   * Whether the one table of moves (`MOVES`) lets the item go to `status`; a move it does not is
   * said to `refused`, and the item stays as it is. Asked before any state is written anywhere.
   */
  mayMove(id: string, status: UploadStatus): boolean {
    const item = this.#items.get(id);
    if (!item) return false;
    if (canMove(item.status.kind, status.kind)) return true;
    this.#refused(id, `${item.status.kind} -> ${status.kind}`);
    return false;
  }

  /** Moves an item to `status` with `changes`, if `mayMove` allows it; says whether it moved. */
  move(id: string, status: UploadStatus, changes: Partial<JournalItem> = {}): boolean {
    if (!this.mayMove(id, status)) return false;
    this.set(id, { ...this.#items.get(id)!, ...changes, status });
    return true;
  }

  delete(id: string): boolean {
    const before = this.#items.get(id);
    this.#byHash.update(id, before, undefined);
    this.#byPath.update(id, before, undefined);
    this.tally.change(before, undefined);
    this.queued.delete(id);
    this.checking.delete(id);
    this.copying.delete(id);
    this.uploading.delete(id);
    this.paused.delete(id);
    this.#active.delete(id);
    this.#settled.delete(id);
    return this.#items.delete(id);
  }

  /** Nothing moves and nothing waits, held or shelved. */
  get idle(): boolean {
    return this.#active.size === 0 && this.shelved === 0;
  }

  #index(id: string, item: JournalItem, before: JournalItem | undefined): void {
    const { kind } = item.status;
    if (kind === 'queued') {
      if (!this.queued.has(id) || before?.position !== item.position) this.#line.push(id, item.position);
      this.queued.add(id);
    } else this.queued.delete(id);
    if (kind === 'checking') this.checking.add(id);
    else this.checking.delete(id);
    if (kind === 'copying') this.copying.add(id);
    else this.copying.delete(id);
    if (kind === 'uploading') this.uploading.add(id);
    else this.uploading.delete(id);
    if (kind === 'paused') this.paused.add(id);
    else this.paused.delete(id);
    if (hasWorkAhead(item)) this.#active.add(id);
    else this.#active.delete(id);
    // Settled again later: to the back of the line, so the longest settled go first.
    this.#settled.delete(id);
    if (settles(item)) this.#settled.add(id);
  }
}
