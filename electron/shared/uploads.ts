import { NO_OUTCOME, type BatchOutcome } from './batch';
import { assertNever } from './result';
import { indexPending, type IndexOutcome, type ItemIndex } from './indexes';
import { counted, formatBytes, formatNumber, formatPercent, m, timeLeft } from './i18n';

import type { MediaKind } from './media-kind';
import { copyWords, type CopyProgress, type UploadCopy } from './upload-copy';
import {
  isFinishing,
  KINDS,
  kindsWhere,
  type UploadGroup,
  type UploadStatus,
  type UploadStatusKind,
  type UploadStrategy,
} from './upload-status';

// The row's parts are defined beside what reads them; every surface imports them from here.
export type { MediaKind, UploadGroup, UploadStatus, UploadStatusKind, UploadStrategy };
export { isFinishing };

/** Parts of a resumable upload confirmed so far, of all its parts. */
export interface PartsSent {
  readonly done: number;
  readonly total: number;
}

/** One row of the queue as every surface sees it: plain data, epoch-ms numbers. */
export interface UploadItem {
  readonly id: string;
  readonly batchId: string;
  readonly path: string;
  /** Path relative to the folder that was added, for display and metadata. */
  readonly relativePath: string;
  readonly name: string;
  readonly size: number;
  readonly kind: MediaKind;
  readonly strategy: UploadStrategy;
  readonly status: UploadStatus;
  readonly bytesSent: number;
  /** Something worth knowing that is not a failure ("started again after the session expired"). */
  readonly notice?: string;
  /** The watched folder it came from (its path), when it did. */
  readonly watchFolder?: string;
  /** A large file while it uploads: its own steady speed and time left (`shared/progress.ts`). */
  readonly pace?: { readonly bytesPerSecond: number; readonly secondsLeft: number | null };
  /** A file sent in parts, while it uploads: how many TwelveLabs confirmed, of all. */
  readonly parts?: PartsSent;
  /** Place in the queue: lower goes first (Upload next gives files a place before all others). */
  readonly position: number;
  readonly addedAt: number;
  readonly updatedAt: number;
  /** The index it goes into once uploaded, and where it stands there (see `shared/indexes.ts`). */
  readonly index?: ItemIndex;
  /** How long it plays, once its check read it (what indexing bills). */
  readonly durationSeconds?: number;
  /** The upload copy that goes (or would go, when offered) in this file's place. */
  readonly copy?: UploadCopy;
  /** How far the copy is, while it is being made. */
  readonly copyProgress?: CopyProgress;
}

/** Queue totals, weighted by bytes so one large file counts for what it is. */
export interface UploadTotals {
  readonly files: number;
  readonly filesDone: number;
  readonly filesFailed: number;
  readonly bytes: number;
  readonly bytesDone: number;
  /** Bytes per second over the last ten seconds (`shared/progress.ts`); 0 when nothing moves. */
  readonly bytesPerSecond: number;
  /** Seconds left, smoothed; null until it can be said ("Calculating…"), or while held. */
  readonly secondsLeft: number | null;
  /** The speed once a second over the last minute, oldest first: the sparkline. */
  readonly recentSpeeds: readonly number[];
  /** Every item of the list by outcome: the one set of numbers every surface shows. */
  readonly outcome: BatchOutcome;
  /** Outside the upload window: when it opens (uploads wait until then); null when they may run. */
  readonly scheduledUntil: number | null;
  /** How the list's files stand in the indexes they go into, one entry per index. */
  readonly indexes: readonly IndexOutcome[];
  /** Files paused with nothing else left to upload (`pausedQueue`): the queue is paused. */
  readonly paused: number;
}

/** An empty queue's totals. */
export const NO_TOTALS: UploadTotals = {
  files: 0,
  filesDone: 0,
  filesFailed: 0,
  bytes: 0,
  bytesDone: 0,
  bytesPerSecond: 0,
  secondsLeft: null,
  recentSpeeds: [],
  outcome: NO_OUTCOME,
  scheduledUntil: null,
  indexes: [],
  paused: 0,
};

/**
 * States in which an item still has work ahead of it, here or on TwelveLabs, without anyone doing
 * anything. The rest wait on a person (finished, paused) or a drive (file-missing): the queue is
 * idle, and a command following work, here or handed over, is done with them.
 */
export const ACTIVE_KINDS: ReadonlySet<UploadStatusKind> = new Set(kindsWhere((facts) => facts.active));

export function isActive(status: UploadStatus): boolean {
  return ACTIVE_KINDS.has(status.kind);
}

/** Work that goes on here by itself: checking, making a copy, waiting its turn, sending. */
const GOING_HERE = kindsWhere((facts) => facts.active && !facts.sent);

/**
 * How many files are paused when nothing else is left to upload (none checking, waiting or
 * sending): the queue is paused, and every surface says so rather than "waiting". Zero otherwise.
 * Read from the queue's counts by state (`count`), kept as it changes.
 */
export function pausedQueue(count: Readonly<Partial<Record<UploadStatusKind, number>>>): number {
  return GOING_HERE.some((kind) => (count[kind] ?? 0) > 0) ? 0 : (count.paused ?? 0);
}

/** The progress header's and status bar's words for a paused queue. */
export function pausedWords(paused: number): { readonly label: string; readonly detail: string } {
  return { label: m.paused_label(), detail: m.paused_detail(counted(paused)) };
}

/**
 * Whether the file's content is in the library as an asset: uploaded and ready, or found there
 * already (a copy still waiting on another file's upload is not, yet). From here it goes into its
 * index, if it has one.
 */
export function inLibrary(status: UploadStatus): boolean {
  return status.kind === 'ready' || (status.kind === 'duplicate' && status.assetId !== null);
}

/**
 * Whether an item still has work ahead without anyone doing anything: its upload (`isActive`), or,
 * once it is in the library, its way into its index.
 */
export function hasWorkAhead(item: Pick<UploadItem, 'status' | 'index'>): boolean {
  if (isActive(item.status)) return true;
  return inLibrary(item.status) && indexPending(item.index);
}

/** Finished states: nothing more will happen to the item without the user. */
export function isFinished(status: UploadStatus): boolean {
  return KINDS[status.kind].finished;
}

/** Every byte taken and its asset made (`KINDS[…].sent`): the states that carry their own asset. */
export function isSent(status: UploadStatus): status is Extract<UploadStatus, { kind: 'processing' | 'ready' }> {
  return KINDS[status.kind].sent;
}

/** The state's words for this item: `statusLabel`, but "Finishing" once every byte is sent. */
export function itemLabel(item: UploadItem): string {
  return isFinishing(item) ? m.status_finishing() : statusLabel(item.status);
}

export function statusLabel(status: UploadStatus): string {
  return KINDS[status.kind].label();
}

/** Which queue items an action applies to: some ids, or every item the action makes sense for. */
export type Selection = readonly string[] | 'all';

/** Only what changed since the last event, plus totals; at most four a second. */
export interface UploadsChanged {
  readonly items: readonly UploadItem[];
  readonly removed: readonly string[];
  readonly totals: UploadTotals;
}

/** A folder scan in progress: shown apart from the queue totals ("Scanning 1,204 files"). */
export interface ScanState {
  readonly active: boolean;
  readonly found: number;
}

/** What adding files did: how many were queued and how many were passed over (clutter, unreadable, already queued). */
export interface AddResult {
  readonly queued: number;
  readonly skipped: number;
  /** Which were skipped and why, the first `SKIPPED_LISTED` of them, for "Show which". */
  readonly skippedFiles: readonly SkippedFile[];
}

/** Why a file that was added is not in the list. */
export type SkipReason =
  | 'already-listed'
  | 'junk'
  | 'not-media'
  | 'unreadable'
  | 'symlink-loop'
  | 'bad-name'
  | 'link-outside'
  | 'not-a-file'
  | 'broken-link';

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
}

/** A card of 3,000 clips can skip thousands of sidecars: the list names this many, the count all. */
export const SKIPPED_LISTED = 500;

/** The words for each reason a file was skipped, as the skipped list groups them. */
export const SKIP_WORDS: Readonly<Record<SkipReason, () => string>> = {
  'already-listed': m.skip_already_listed,
  junk: m.skip_junk,
  'not-media': m.skip_not_media,
  unreadable: m.skip_unreadable,
  'symlink-loop': m.skip_symlink_loop,
  'bad-name': m.skip_bad_name,
  'link-outside': m.skip_link_outside,
  'not-a-file': m.skip_not_a_file,
  'broken-link': m.skip_broken_link,
};

export function groupOf(status: UploadStatus): UploadGroup {
  return KINDS[status.kind].group;
}

/**
 * The group a row is counted and filtered in: its upload's (`groupOf`), except that a file in the
 * library on its way into its index is still TwelveLabs' to finish, and one its index could not
 * take (or that waits on an index not there) needs attention. "Done" is searchable, where an index
 * was chosen.
 */
export function rowGroup(item: Pick<UploadItem, 'status' | 'index'>): UploadGroup {
  const group = groupOf(item.status);
  if (group !== 'done' || !item.index) return group;
  if (item.index.state === 'failed' || item.index.state === 'held') return 'attention';
  return indexPending(item.index) ? 'processing' : 'done';
}

/** Where a file is, as a line of text names it: "Day 2/Match.mxf", or "Day 2/Match.mxf · Part 2 of 3". */
export function placeWords(item: Pick<UploadItem, 'relativePath' | 'copy'>): string {
  const part = item.copy?.part;
  return part ? `${item.relativePath} · ${m.row_part({ index: part.index, of: part.of })}` : item.relativePath;
}

/**
 * A refusal, and the upload copy on offer when there is one ("… An upload copy TwelveLabs takes can
 * be made: FLAC, about 420 kB."). The offer is the row's, not the reason's: files refused for the
 * same reason are grouped by it.
 */
export function refusalWords(item: Pick<UploadItem, 'status' | 'copy'>): string {
  const message = item.status.kind === 'rejected' || item.status.kind === 'failed' ? item.status.message : '';
  return item.copy && item.status.kind === 'rejected'
    ? `${message} ${m.copy_offer({ what: copyWords(item.copy, true) })}`
    : message;
}

/** "41% · about 6 min left · H.264 MP4, 1920×1080, about 1.2 GB", or waiting its turn. */
function copyDetail(item: UploadItem): string {
  const what = item.copy ? [copyWords(item.copy)] : [];
  const progress = item.copyProgress;
  if (!progress) return [...what, m.detail_copy_waiting()].join(' · ');
  // How far first: the row's column is narrow, and the plan is in Details too.
  return [
    formatPercent(Math.floor(progress.fraction * 100)),
    ...(progress.secondsLeft ? [timeLeft(progress.secondsLeft)] : []),
    ...what,
  ].join(' · ');
}

function percent(item: UploadItem): number {
  return item.size > 0 ? Math.min(100, Math.floor((item.bytesSent / item.size) * 100)) : 100;
}

/**
 * The second line under a file's state (UX.md): what is happening, in numbers, and what to do.
 * `ahead` is how many files wait before this one.
 */
export function statusDetail(item: UploadItem, ahead: number): string {
  const { status } = item;
  switch (status.kind) {
    case 'checking':
      return m.detail_checking();
    case 'copying':
      return copyDetail(item);
    case 'queued':
      return ahead > 0 ? m.detail_starts_after(counted(ahead)) : m.detail_starts_next();
    case 'uploading':
      return isFinishing(item)
        ? m.detail_all_sent()
        : [
            // On a slow line a part can take minutes: its number says something is on its way.
            ...(item.parts && item.parts.done < item.parts.total
              ? [
                  m.detail_sending_part({
                    part: formatNumber(item.parts.done + 1),
                    total: formatNumber(item.parts.total),
                  }),
                ]
              : []),
            m.detail_bytes_of({ sent: formatBytes(item.bytesSent), size: formatBytes(item.size) }),
            ...(item.pace && item.pace.bytesPerSecond > 0
              ? [m.detail_per_second({ size: formatBytes(item.pace.bytesPerSecond) })]
              : []),
            ...(item.pace?.secondsLeft ? [timeLeft(item.pace.secondsLeft)] : []),
          ].join(' · ');
    case 'paused':
      // Parts in flight when it paused are sent again: only what TwelveLabs confirmed is kept.
      return m.detail_paused_kept({ percent: formatPercent(percent(item)) });
    case 'file-missing':
      return m.detail_file_missing();
    case 'processing':
      return item.strategy === 'url' ? m.detail_fetching_link() : m.detail_processing();
    case 'ready':
      return m.detail_ready();
    case 'duplicate':
      return status.assetId === null
        ? m.detail_same_uploading({ name: status.of })
        : m.detail_same_uploaded({ name: status.of });
    case 'failed':
      return status.message;
    case 'rejected':
      return refusalWords(item);
    case 'cancelled':
      return m.detail_cancelled();
    default:
      return assertNever(status);
  }
}

/**
 * What the checks found in a file, from its notice: each warning's finding without "It uploads all
 * the same" ("Can't be used for search: this image is 64×64; …"), or null when the notice holds
 * none (a notice said in another language than today's is not taken apart).
 */
export function checkFindings(notice: string | undefined): string | null {
  if (!notice) return null;
  const [before, after] = m.rule_warning({ finding: '\u0000' }).split('\u0000') as [string, string];
  const findings: string[] = [];
  let rest = notice;
  while (rest.startsWith(before) && rest.includes(after, before.length)) {
    const end = rest.indexOf(after, before.length);
    findings.push(rest.slice(before.length, end));
    rest = rest.slice(end + after.length).trimStart();
  }
  return findings.length > 0 && rest === '' ? findings.join(' ') : null;
}

/**
 * The notice a row shows after its second line, while it is still true: a check's warning ("…It
 * uploads all the same") means nothing beside an upload that failed or was refused, nor beside an
 * index job that failed (its own reason says it); Details keeps it either way.
 */
export function rowNotice(item: Pick<UploadItem, 'notice' | 'status' | 'index'>): string | null {
  if (!item.notice) return null;
  const { kind } = item.status;
  if (kind === 'failed' || kind === 'rejected' || item.index?.state === 'failed') return null;
  return item.notice;
}

/** Progress as a whole percent, for bars and screen readers. */
export function progressPercent(item: UploadItem): number {
  // Making its upload copy: how far the copy is, as the bar shows it before a byte is sent.
  if (item.status.kind === 'copying') return Math.floor((item.copyProgress?.fraction ?? 0) * 100);
  return percent(item);
}
