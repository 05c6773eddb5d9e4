import { assertNever } from '../shared/result';
import {
  inLibrary,
  isFinishing,
  itemLabel,
  placeWords,
  refusalWords,
  statusDetail,
  statusLabel,
  type UploadItem,
  type UploadTotals,
} from '../shared/uploads';
import type { UploadsChanged } from '../shared/uploads';
import { outcomeOfStates, outcomeSentence } from '../shared/batch';
import { IndexTally, indexPending, indexSentence, indexWords } from '../shared/indexes';
import type { UploadStatusKind } from '../shared/upload-status';
import { counted, formatBytes, formatNumber, formatPercent, m, timeLeft } from '../shared/i18n';

/** One line of machine-readable output (--json): newline-delimited JSON, one object per event. */
export function jsonLine(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** The detail a person needs about an item's state, in the app's words. */
export function describe(item: UploadItem): string {
  const { status } = item;
  switch (status.kind) {
    case 'failed':
    case 'rejected':
      return `${statusLabel(status)}: ${refusalWords(item)}${status.detail ? ` (${status.detail})` : ''}`;
    case 'ready':
      return `${statusLabel(status)} (${m.cli_asset({ id: status.assetId })})`;
    case 'duplicate':
      return `${statusLabel(status)}: ${statusDetail(item, 0)}${status.assetId ? ` (${m.cli_asset({ id: status.assetId })})` : ''}`;
    case 'uploading':
      return isFinishing(item)
        ? itemLabel(item)
        : `${statusLabel(status)} ${formatPercent(item.size > 0 ? Math.floor((item.bytesSent / item.size) * 100) : 100)}`;
    case 'copying':
      return item.copyProgress
        ? `${statusLabel(status)} ${formatPercent(Math.floor(item.copyProgress.fraction * 100))}`
        : statusLabel(status);
    case 'checking':
    case 'queued':
    case 'paused':
    case 'file-missing':
    case 'processing':
    case 'cancelled':
      return statusLabel(status);
    default:
      return assertNever(status);
  }
}

function progressLine(totals: UploadTotals, width: number): string {
  const share = totals.bytes > 0 ? totals.bytesDone / totals.bytes : 1;
  const barWidth = Math.max(10, Math.min(30, width - 70));
  const filled = Math.round(share * barWidth);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
  const speed =
    totals.bytesPerSecond > 0 ? ` ${m.detail_per_second({ size: formatBytes(totals.bytesPerSecond) })}` : '';
  const left = totals.secondsLeft !== null ? ` ${timeLeft(totals.secondsLeft)}` : '';
  return (
    `${bar} ${formatPercent(Math.floor(share * 100))}  ` +
    `${m.progress_files_of({ done: formatNumber(totals.filesDone), ...counted(totals.files) })}  ` +
    `${m.detail_bytes_of({ sent: formatBytes(totals.bytesDone), size: formatBytes(totals.bytes) })}${speed}${left}`
  );
}

/**
 * Prints what the engine does: a redrawn progress line on a terminal, each finished file on its
 * own line; or JSON lines for scripts.
 */
/** A file that will be said again soon: being copied, sent, processed, or on its way into an index. */
function moving(item: UploadItem): boolean {
  const { kind } = item.status;
  return (
    kind === 'copying' ||
    kind === 'uploading' ||
    kind === 'processing' ||
    (kind === 'ready' && indexPending(item.index))
  );
}

export class Reporter {
  readonly #json: boolean;
  readonly #tty = process.stdout.isTTY === true;
  /**
   * The last state said of each file still moving (being copied, sent, processed or indexed), so
   * a progress tick is not said again; a file at rest (waiting, paused, settled) is forgotten, so
   * a run of a million waiting files keeps only the few that move.
   */
  #lastStatus = new Map<string, string>();
  #lastProgressAt = 0;

  constructor(json: boolean) {
    this.#json = json;
  }

  change(change: UploadsChanged): void {
    for (const item of change.items) {
      const previous = this.#lastStatus.get(item.id);
      const now = `${item.status.kind}/${item.index?.state ?? ''}`;
      if (moving(item)) this.#lastStatus.set(item.id, now);
      else this.#lastStatus.delete(item.id);
      if (previous === now) continue;
      const indexMoved = previous !== undefined && previous.split('/')[0] === item.status.kind;
      if (this.#json) {
        jsonLine({
          event: 'item',
          id: item.id,
          path: item.path,
          status: item.status,
          bytesSent: item.bytesSent,
          size: item.size,
          ...(item.index && { index: item.index }),
        });
      } else if (indexMoved && item.index && item.index.state !== 'requesting') {
        this.#clearLine();
        process.stdout.write(`${placeWords(item)}: ${indexWords(item.index)}\n`);
      } else if (!indexMoved && ['ready', 'failed', 'rejected', 'processing'].includes(item.status.kind)) {
        this.#clearLine();
        process.stdout.write(`${placeWords(item)}: ${describe(item)}\n`);
      }
    }
    const now = Date.now();
    if (this.#json) {
      // Progress once a second is plenty for a script, and keeps logs small.
      if (now - this.#lastProgressAt >= 1000) {
        this.#lastProgressAt = now;
        jsonLine({ event: 'progress', ...change.totals });
      }
    } else if (this.#tty) {
      process.stdout.write(`\r${progressLine(change.totals, process.stdout.columns ?? 100)}\u001b[K`);
    }
  }

  /** How many files it keeps a state for: the ones moving now. */
  get remembered(): number {
    return this.#lastStatus.size;
  }

  #clearLine(): void {
    if (this.#tty && !this.#json) process.stdout.write('\r\u001b[K');
  }

  /** The closing summary: counts, and every file that did not make it with its reason. */
  summary(ending: Ending): void {
    const { ready, bytes, total, problems, notIndexed } = ending;
    const indexes = ending.indexes.outcomes();
    const outcome = outcomeOfStates(ending.states);
    if (this.#json) {
      jsonLine({
        event: 'summary',
        outcome,
        uploaded: ready,
        notUploaded: problems.map((item) => ({ id: item.id, path: item.path, status: item.status })),
        ...(indexes.length > 0 && {
          indexes,
          notIndexed: notIndexed.map((item) => ({ id: item.id, path: item.path, index: item.index })),
        }),
      });
      return;
    }
    this.#clearLine();
    process.stdout.write(
      `${m.cli_files_uploaded({ ready: formatNumber(ready), ...counted(total), size: formatBytes(bytes) })}\n`,
    );
    // The same sentence as the app's notification, when there is more to it than uploads.
    if (outcome.uploaded < outcome.total)
      process.stdout.write(`${m.cli_in_all({ outcome: outcomeSentence(outcome) })}\n`);
    for (const index of indexes) process.stdout.write(`${m.sentence_end({ text: indexSentence(index) })}\n`);
    for (const item of notIndexed) process.stdout.write(`  ${placeWords(item)}: ${indexWords(item.index!)}\n`);
    if (problems.length > 0) {
      process.stdout.write(`${m.cli_need_attention(counted(problems.length))}\n`);
      for (const item of problems) process.stdout.write(`  ${placeWords(item)}: ${describe(item)}\n`);
      // Offered, and a command line cannot ask: say how to take the offer.
      const offered = problems.filter((item) => item.status.kind === 'rejected' && item.copy).length;
      if (offered > 0) process.stdout.write(`${m.cli_copies_offered(counted(offered))}\n`);
    }
  }
}

/** States a file can end a run in without having gone in: named in the summary, with the reason. */
const NOT_IN: ReadonlySet<UploadStatusKind> = new Set([
  'failed',
  'rejected',
  'cancelled',
  'paused',
  'queued',
  'uploading',
]);

/**
 * The end of a piece of work, counted as its files arrive (the owner sends them a page at a time):
 * numbers for all of them, and only the files that did not make it kept, to be named. A million
 * files that went in cost a few numbers, not a million rows.
 */
export class Ending {
  total = 0;
  bytes = 0;
  readonly states: Partial<Record<UploadStatusKind, number>> = {};
  readonly problems: UploadItem[] = [];
  readonly notIndexed: UploadItem[] = [];
  readonly indexes = new IndexTally();
  /**
   * Every file went where it was sent: in the library (uploaded, or already there with its asset,
   * so running the same upload again ends with 0), and, with an index, searchable there (or not a
   * kind an index takes). Anything else makes the command end with 1.
   */
  allWentIn = true;

  /** Files in the library, uploaded by this work. */
  get ready(): number {
    return this.states.ready ?? 0;
  }

  add(items: readonly UploadItem[]): void {
    for (const item of items) {
      const { kind } = item.status;
      this.total += 1;
      this.states[kind] = (this.states[kind] ?? 0) + 1;
      if (kind === 'ready') this.bytes += item.size;
      if (NOT_IN.has(kind)) this.problems.push(item);
      if (item.index?.state === 'failed' || item.index?.state === 'held') this.notIndexed.push(item);
      this.indexes.add(item);
      this.allWentIn &&=
        inLibrary(item.status) && (!item.index || ['searchable', 'skipped'].includes(item.index.state));
    }
  }
}
