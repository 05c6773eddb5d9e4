import { assertNever } from './result';
import type { MediaKind } from './uploads';

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
      return `Waiting to index in ${index.name}`;
    case 'indexing':
      return `Indexing in ${index.name}`;
    case 'searchable':
      return `Searchable in ${index.name}`;
    case 'failed':
      return `Indexing failed${index.message ? `: ${index.message}` : ''}`;
    case 'held':
      return `Not indexed yet: ${index.message ?? 'waiting'}`;
    case 'skipped':
      return `Not indexed: ${index.message ?? 'only videos go into an index'}`;
    default:
      return assertNever(index.state);
  }
}
