import { KINDS, type OutcomeKey, type UploadStatus, type UploadStatusKind } from './upload-status';
import { counted, joinParts, m } from './i18n';

/**
 * Where every file of a list stands, counted once, for every surface that tells a person how a
 * batch went: the status bar, the tray, the end-of-batch notification and the CLI summary all say
 * these same numbers, so none of them can leave out the refused files or the copies.
 */
export interface BatchOutcome extends Readonly<Record<OutcomeKey, number>> {
  readonly total: number;
  /** In the library (ready). */
  readonly uploaded: number;
  /** Not sent: the same content is already there (or on its way from this list). */
  readonly alreadyThere: number;
  /** Refused before sending, or failed: each has its reason. */
  readonly couldNot: number;
  readonly cancelled: number;
  /** Waiting for a drive or a file to come back: waits on the person, not on the queue. */
  readonly missing: number;
  /** Still to happen by itself: checking, waiting, uploading, paused, processing. */
  readonly toGo: number;
}

export const NO_OUTCOME: BatchOutcome = {
  total: 0,
  uploaded: 0,
  alreadyThere: 0,
  couldNot: 0,
  cancelled: 0,
  missing: 0,
  toGo: 0,
};

export function batchOutcome(statuses: Iterable<UploadStatus>): BatchOutcome {
  const counts = { ...NO_OUTCOME };
  for (const status of statuses) {
    counts.total += 1;
    counts[KINDS[status.kind].outcome] += 1;
  }
  return counts;
}

/** The outcome of items counted by state (a batch in the history). */
export function outcomeOfStates(states: Partial<Record<UploadStatusKind, number>>): BatchOutcome {
  const counts = { ...NO_OUTCOME };
  for (const [kind, n] of Object.entries(states) as [UploadStatusKind, number][]) {
    counts.total += n;
    counts[KINDS[kind].outcome] += n;
  }
  return counts;
}

/** What happened between two counts of the same list (the start and the end of a batch). */
export function outcomeSince(before: BatchOutcome, now: BatchOutcome): BatchOutcome {
  const keys = Object.keys(NO_OUTCOME) as (keyof BatchOutcome)[];
  return Object.fromEntries(keys.map((key) => [key, Math.max(0, now[key] - before[key])])) as unknown as BatchOutcome;
}

/**
 * "282 files uploaded, 6 already in your library, 14 could not be uploaded": every outcome that
 * happened, none that did not, in the same order everywhere.
 */
export function outcomeSentence(outcome: BatchOutcome): string {
  const parts = [
    outcome.uploaded > 0 || outcome.total === 0 ? m.outcome_uploaded(counted(outcome.uploaded)) : '',
    outcome.alreadyThere > 0 ? m.outcome_already_there(counted(outcome.alreadyThere)) : '',
    outcome.couldNot > 0 ? m.outcome_could_not(counted(outcome.couldNot)) : '',
    outcome.missing > 0 ? m.outcome_missing(counted(outcome.missing)) : '',
    outcome.cancelled > 0 ? m.outcome_cancelled(counted(outcome.cancelled)) : '',
  ].filter(Boolean);
  return joinParts(parts);
}

/** True when something in the outcome needs the person: a refusal, a failure, a missing drive. */
export function needsAttention(outcome: BatchOutcome): boolean {
  return outcome.couldNot > 0 || outcome.missing > 0;
}
