import { assertNever } from './result';
import type { MediaKind } from './media-kind';
import { counted, formatDate, formatNumber, joinParts, m } from './i18n';

/** The model an index for search is made with (API v1.3). */
export const SEARCH_MODEL = 'marengo3.0';

/**
 * What may go into an index. The API documents video; when it says more, this one table changes
 * (everything else asks `isIndexable`).
 */
export const INDEXABLE_KINDS: ReadonlySet<MediaKind> = new Set(['video']);

export function isIndexable(kind: MediaKind): boolean {
  return INDEXABLE_KINDS.has(kind);
}

/** An index chosen for a batch: its id, and its name as the person knows it. */
export interface IndexChoice {
  readonly id: string;
  readonly name: string;
}

/** An index as the picker lists it. */
export interface IndexSummary extends IndexChoice {
  readonly videoCount: number;
  /** Seconds of video in it. */
  readonly totalSeconds: number;
  /** Epoch ms, or null when TwelveLabs gave none. */
  readonly expiresAt: number | null;
  /** What it searches: "visual", "audio". */
  readonly options: readonly string[];
  readonly thumbnails: boolean;
}

/** "12 videos · 3.5 h · searches what is seen and heard · until 3/5/2027", in the window and the CLI. */
export function indexSummaryWords(index: IndexSummary): string {
  const searches =
    index.options.includes('visual') && index.options.includes('audio')
      ? m.picker_seen_heard()
      : index.options.includes('audio')
        ? m.picker_heard()
        : m.picker_seen();
  return [
    m.picker_videos(counted(index.videoCount)),
    formatNumber(index.totalSeconds / 3600, { style: 'unit', unit: 'hour', maximumFractionDigits: 1 }),
    m.picker_searches({ what: searches }),
    ...(index.expiresAt ? [m.picker_until({ date: formatDate(index.expiresAt) })] : []),
  ].join(' · ');
}

/**
 * Where one file stands with its index, after (and apart from) its upload:
 * - `waiting`: until its upload is ready;
 * - `requesting`: the request is recorded and being sent (after a crash, TwelveLabs is asked
 *   whether it arrived before it is ever sent again: each request is billed);
 * - `indexing`: TwelveLabs took it (its job id known) and is indexing it;
 * - `searchable`: done; `failed`: TwelveLabs could not index it (Retry indexing);
 * - `held`: waits for something outside it (the index is gone), with the reason;
 * - `skipped`: not a kind an index takes (a still in a batch of videos), said once, not a failure.
 */
export type IndexState = 'waiting' | 'requesting' | 'indexing' | 'searchable' | 'failed' | 'held' | 'skipped';

export interface ItemIndex extends IndexChoice {
  readonly state: IndexState;
  /** TwelveLabs' id of the index job, once it answered. */
  readonly jobId?: string;
  /** Why it failed, is held or skipped, in words. */
  readonly message?: string;
  readonly indexedAt?: number;
}

/** States with work still ahead, without anyone doing anything. */
export function indexPending(index: ItemIndex | undefined): boolean {
  return (
    index !== undefined && (index.state === 'waiting' || index.state === 'requesting' || index.state === 'indexing')
  );
}

/** The row's words for where a file stands with its index. */
export function indexWords(index: ItemIndex): string {
  switch (index.state) {
    case 'waiting':
    case 'requesting':
      return m.index_waiting_in({ index: index.name });
    case 'indexing':
      return m.index_indexing_in({ index: index.name });
    case 'searchable':
      return m.index_searchable_in({ index: index.name });
    case 'failed':
      return index.message ? m.index_failed_because({ reason: index.message }) : m.index_failed();
    case 'held':
      return m.index_not_yet_because({ reason: index.message ?? m.index_waiting_word() });
    case 'skipped':
      return m.index_not_because({ reason: index.message ?? m.index_only_videos() });
    default:
      return assertNever(index.state);
  }
}

/** How a batch's files ended in their index, for the closing sentence of every surface. */
export interface IndexOutcome {
  readonly name: string;
  readonly searchable: number;
  /** Could not be indexed (Retry indexing). */
  readonly failed: number;
  /** Waiting on the index itself (it is not there). */
  readonly held: number;
  /** Not a kind an index takes. */
  readonly skipped: number;
  /** Still on their way in. */
  readonly pending: number;
  /**
   * Seconds of video going (or gone) into the index, as far as the checks read them, copies of one
   * file once: what is billed.
   */
  readonly seconds: number;
}

/** What an item reads of itself for its index's outcome. */
export interface IndexedFacts {
  readonly index?: ItemIndex;
  readonly durationSeconds?: number;
  readonly sha256?: string | null;
  /** When known, a kind no index takes counts as skipped from the start, not as pending. */
  readonly kind?: MediaKind;
}

/** The count of an index's outcome an item adds to. */
export type IndexBucket = 'searchable' | 'failed' | 'held' | 'skipped' | 'pending';

/** What one item adds to its index's outcome: a count, and its seconds once per content. */
export interface IndexShare {
  readonly id: string;
  readonly name: string;
  readonly bucket: IndexBucket;
  /** Billed seconds, unless a copy with the same `billedAs` is billed already. */
  readonly seconds: number;
  /** Copies of one file share one job: their minutes are billed once. Null: billed alone (no fingerprint), or not at all (skipped). */
  readonly billedAs: string | null;
}

/** The item's share of its index's outcome, or null when it goes into no index. */
export function indexShare({ index: recorded, durationSeconds, sha256, kind }: IndexedFacts): IndexShare | null {
  if (!recorded) return null;
  // The skip is written once the upload is ready; until then the kind already says it.
  const skipped =
    recorded.state === 'skipped' || (kind !== undefined && !isIndexable(kind) && recorded.state === 'waiting');
  const { state } = recorded;
  const bucket: IndexBucket = skipped
    ? 'skipped'
    : state === 'searchable' || state === 'failed' || state === 'held'
      ? state
      : 'pending';
  return {
    id: recorded.id,
    name: recorded.name,
    bucket,
    seconds: skipped ? 0 : (durationSeconds ?? 0),
    billedAs: sha256 && !skipped ? `${recorded.id}\0${sha256}` : null,
  };
}

/** An index's outcome with nothing in it yet. */
export function noIndexOutcome(name: string): { -readonly [K in keyof IndexOutcome]: IndexOutcome[K] } {
  return { name, searchable: 0, failed: 0, held: 0, skipped: 0, pending: 0, seconds: 0 };
}

/** The index outcomes of `items`, one per index they name, in the order first met. */
export function indexOutcomes(items: Iterable<IndexedFacts>): IndexOutcome[] {
  const tally = new IndexTally();
  for (const item of items) tally.add(item);
  return tally.outcomes();
}

/** `indexOutcomes` counted as files come, a page at a time: only the billed contents are kept. */
export class IndexTally {
  readonly #billed = new Set<string>();
  readonly #byIndex = new Map<string, ReturnType<typeof noIndexOutcome>>();

  add(item: IndexedFacts): void {
    const share = indexShare(item);
    if (!share) return;
    const outcome = this.#byIndex.get(share.id) ?? noIndexOutcome(share.name);
    this.#byIndex.set(share.id, outcome);
    outcome[share.bucket] += 1;
    if (share.billedAs === null || !this.#billed.has(share.billedAs)) outcome.seconds += share.seconds;
    if (share.billedAs !== null) this.#billed.add(share.billedAs);
  }

  outcomes(): IndexOutcome[] {
    return [...this.#byIndex.values()];
  }
}

/**
 * What indexing will cost, in the words every surface uses: "2 videos, 3 minutes of video to
 * index (TwelveLabs bills indexing by the minute)". Minutes are rounded up, as billed.
 */
export function indexCost(videos: number, seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  // Billed minutes in full ("75 minutes", "75 Minuten"), as an invoice says them.
  return m.index_cost({
    ...counted(videos),
    minutes: formatNumber(minutes, { style: 'unit', unit: 'minute', unitDisplay: 'long' }),
  });
}

/** What a list's files still on their way into an index will cost, or null when none are. */
export function pendingCost(outcome: IndexOutcome): string | null {
  if (outcome.pending === 0) return null;
  return indexCost(outcome.searchable + outcome.failed + outcome.held + outcome.pending, outcome.seconds);
}

/** "11 searchable in Shoot 2026-10, 1 could not be indexed": the words every surface uses. */
export function indexSentence(outcome: IndexOutcome): string {
  return joinParts(
    [
      m.index_sentence_searchable({ ...counted(outcome.searchable), index: outcome.name }),
      outcome.pending > 0 && m.index_sentence_pending(counted(outcome.pending)),
      outcome.failed > 0 && m.index_sentence_failed(counted(outcome.failed)),
      outcome.held > 0 && m.index_sentence_held(counted(outcome.held)),
      outcome.skipped > 0 && m.index_sentence_skipped(counted(outcome.skipped)),
    ].filter((part) => part !== false),
  );
}

/** A row's two lines for a file in the library on its way into (or in) its index. */
export function indexRowWords(index: ItemIndex): { readonly label: string; readonly detail: string } {
  switch (index.state) {
    case 'waiting':
    case 'requesting':
      return { label: m.index_row_waiting(), detail: m.index_row_waiting_detail({ index: index.name }) };
    case 'indexing':
      return { label: m.index_row_indexing(), detail: m.index_row_indexing_detail({ index: index.name }) };
    case 'searchable':
      return { label: m.index_row_searchable(), detail: m.index_row_in({ index: index.name }) };
    case 'failed':
      return { label: m.index_failed(), detail: index.message ?? m.index_no_reason() };
    case 'held':
      return { label: m.index_row_not_yet(), detail: index.message ?? m.index_row_waiting_for({ index: index.name }) };
    case 'skipped':
      return {
        label: m.status_ready(),
        detail: m.index_row_skipped_detail({ reason: index.message ?? m.index_only_videos() }),
      };
    default:
      return assertNever(index.state);
  }
}
