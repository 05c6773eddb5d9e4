import { outcomeOfStates, type BatchOutcome } from '../../shared/batch';
import { indexShare, noIndexOutcome, type IndexOutcome, type IndexShare } from '../../shared/indexes';
import { KINDS, kindsWhere, type UploadStatusKind } from '../../shared/upload-status';
import { pausedQueue } from '../../shared/uploads';
import type { JournalItem } from './journal';

type PerKind = Record<UploadStatusKind, number>;

function perKind(): PerKind {
  return Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, 0])) as PerKind;
}

const TO_SEND = kindsWhere((facts) => facts.toSend);
const SENT = kindsWhere((facts) => facts.sent);
/** Counted, not sent and not given up: what they have sent so far is part of the batch's progress. */
const ON_THE_WAY = kindsWhere((facts) => facts.toSend && !facts.sent && !facts.givesUp);
/** Counted, and given up: a failed file's bytes are not progress. */
const GAVE_UP = kindsWhere((facts) => facts.toSend && facts.givesUp);

/** The bytes of the queue, from the journal's figures (live bytes in flight are the change feed's). */
export interface QueueBytes {
  readonly files: number;
  readonly filesDone: number;
  readonly filesFailed: number;
  /** Every file to send, sent or not, failed too. */
  readonly bytes: number;
  /** Of those, the failed ones. */
  readonly bytesFailed: number;
  /** Bytes of the files sent. */
  readonly bytesOfSent: number;
  /** Bytes the journal has sent of files still on their way (checking, waiting, uploading, paused…). */
  readonly bytesOnTheWay: number;
}

/**
 * The queue's numbers kept as it changes: each item adds its share when it is set and takes it
 * back when it changes or leaves, so the totals, the batch outcome, the paused queue and the
 * index outcomes cost the same for ten files and a million, and no event scans the queue.
 */
export class QueueTally {
  readonly #count = perKind();
  readonly #size = perKind();
  readonly #bytesSent = perKind();
  readonly #indexes = new Map<string, { outcome: ReturnType<typeof noIndexOutcome>; items: number }>();
  /** Copies of one content in one index: billed once, by the first to come. */
  readonly #billed = new Map<string, { items: number; seconds: number }>();

  /** `before` became `after` (either undefined: the item came or went). */
  change(before: JournalItem | undefined, after: JournalItem | undefined): void {
    if (before) this.#add(before, -1);
    if (after) this.#add(after, 1);
  }

  /**
   * Counts `count` items in `kind` never read (a restart counts the files that settled in SQL):
   * `size` and `bytesSent` are their sums. Only for items without an index share.
   */
  counted(kind: UploadStatusKind, count: number, size: number, bytesSent: number): void {
    this.#count[kind] += count;
    this.#size[kind] += size;
    this.#bytesSent[kind] += bytesSent;
  }

  #add(item: JournalItem, sign: 1 | -1): void {
    const { kind } = item.status;
    this.#count[kind] += sign;
    this.#size[kind] += sign * item.size;
    this.#bytesSent[kind] += sign * item.bytesSent;
    const share = indexShare(item);
    if (share) this.#addShare(share, sign);
  }

  #addShare(share: IndexShare, sign: 1 | -1): void {
    const entry = this.#indexes.get(share.id) ?? { outcome: noIndexOutcome(share.name), items: 0 };
    this.#indexes.set(share.id, entry);
    entry.items += sign;
    entry.outcome[share.bucket] += sign;
    if (share.billedAs === null) entry.outcome.seconds += sign * share.seconds;
    else {
      const billed = this.#billed.get(share.billedAs) ?? { items: 0, seconds: share.seconds };
      if (billed.items === 0) entry.outcome.seconds += billed.seconds;
      billed.items += sign;
      this.#billed.set(share.billedAs, billed);
      if (billed.items === 0) {
        entry.outcome.seconds -= billed.seconds;
        this.#billed.delete(share.billedAs);
      }
    }
    if (entry.items === 0) this.#indexes.delete(share.id);
  }

  /** Items in `kind` now. */
  count(kind: UploadStatusKind): number {
    return this.#count[kind];
  }

  outcome(): BatchOutcome {
    return outcomeOfStates(this.#count);
  }

  /** Files paused with nothing else left to upload; zero otherwise. */
  paused(): number {
    return pausedQueue(this.#count);
  }

  indexes(): IndexOutcome[] {
    return Array.from(this.#indexes.values(), ({ outcome }) => ({ ...outcome }));
  }

  bytes(): QueueBytes {
    const sum = (kinds: readonly UploadStatusKind[], of: PerKind): number =>
      kinds.reduce((total, kind) => total + of[kind], 0);
    return {
      files: sum(TO_SEND, this.#count),
      filesDone: this.#count.ready,
      filesFailed: sum(GAVE_UP, this.#count),
      bytes: sum(TO_SEND, this.#size),
      bytesFailed: sum(GAVE_UP, this.#size),
      bytesOfSent: sum(SENT, this.#size),
      bytesOnTheWay: sum(ON_THE_WAY, this.#bytesSent),
    };
  }

  /** Whether a file in `kind` has what it sent so far counted as the batch's progress. */
  static onTheWay(kind: UploadStatusKind): boolean {
    return ON_THE_WAY.includes(kind);
  }
}
