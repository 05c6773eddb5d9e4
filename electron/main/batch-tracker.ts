import { needsAttention, NO_OUTCOME, outcomeSentence, outcomeSince, type BatchOutcome } from '../shared/batch';
import type { UploadTotals } from '../shared/uploads';
import { pausedWords } from '../shared/uploads';
import { indexSentence } from '../shared/indexes';
import { counted, formatBytes, formatNumber, joinParts, m, timeLeft } from '../shared/i18n';

/** What the OS shows about uploads: the dock/taskbar bar, the tray tooltip, sleep, and one notice per batch. */
export interface OsPort {
  /** 0..1 while uploading; -1 removes the bar. */
  setProgress(fraction: number): void;
  setTooltip(text: string): void;
  notify(title: string, body: string): void;
  preventSleep(prevent: boolean): void;
}

export interface TrackerSettings {
  readonly notifications: boolean;
  readonly keepAwake: boolean;
}

/**
 * Turns queue totals into what the OS shows. A batch starts when work appears and ends when none
 * is left to happen by itself (a file waiting for its drive waits on the person, so it does not
 * keep the batch open): one notification then, counting every outcome as the window and the CLI
 * do ("282 files uploaded, 6 already in your library, 14 could not be uploaded"), never one per
 * file.
 */
export class BatchTracker {
  #active = false;
  #atStart: BatchOutcome = NO_OUTCOME;
  #sleepBlocked = false;

  constructor(
    private readonly os: OsPort,
    private readonly settings: () => TrackerSettings,
  ) {}

  /**
   * `held` is why the connection holds uploads back (`heldBack`), if it does: the tray then says
   * that, as the window's header and status bar do, instead of "Uploading".
   */
  update(totals: UploadTotals, held: { readonly label: string; readonly detail: string } | null = null): void {
    const { outcome, indexes } = totals;
    // Files uploaded but still on their way into an index keep the batch open: searchable is the end.
    const indexing = indexes.some((index) => index.pending > 0);
    const active = outcome.toGo > 0 || indexing;
    if (active && !this.#active) this.#atStart = { ...outcome, toGo: 0 };
    const share = totals.bytes > 0 ? totals.bytesDone / totals.bytes : 1;
    this.os.setProgress(active ? Math.min(1, share) : -1);
    const finished = outcome.total - outcome.toGo;
    // The same sentences as the window and the command line.
    const withIndexes = (sentence: string) => [sentence, ...indexes.map(indexSentence)].join(m.sentence_separator());
    const uploading = () =>
      m.tray_uploading({
        done: formatNumber(finished),
        ...counted(outcome.total),
        sent: formatBytes(totals.bytesDone),
        size: formatBytes(totals.bytes),
      });
    this.os.setTooltip(
      held && outcome.toGo > 0
        ? m.tray_held({ ...held, ...counted(outcome.toGo) })
        : totals.paused > 0
          ? m.progress_held(pausedWords(totals.paused))
          : outcome.toGo > 0
            ? joinParts([uploading(), ...(totals.secondsLeft !== null ? [timeLeft(totals.secondsLeft)] : [])])
            : indexing
              ? m.tray_indexing({ sentence: indexes.map(indexSentence).join(m.sentence_separator()) })
              : outcome.total > 0
                ? m.tray_app({ sentence: withIndexes(outcomeSentence(outcome)) })
                : m.tray_nothing(),
    );
    // A paused queue waits on a person: the computer may sleep.
    const wantBlock = active && totals.paused === 0 && this.settings().keepAwake;
    if (wantBlock !== this.#sleepBlocked) {
      this.#sleepBlocked = wantBlock;
      this.os.preventSleep(wantBlock);
    }
    if (!active && this.#active && this.settings().notifications) {
      const batch = outcomeSince(this.#atStart, outcome);
      const notIndexed = indexes.some((index) => index.failed > 0 || index.held > 0);
      this.os.notify(
        needsAttention(batch) || notIndexed ? m.summary_attention() : m.summary_finished(),
        withIndexes(outcomeSentence(batch)),
      );
    }
    this.#active = active;
  }
}

/** The longest a quit waits for uploads to stop cleanly before it goes anyway. */
export const QUIT_FLUSH_MS = 15_000;

/**
 * Quitting while files upload asks first; when the person agrees, uploads are stopped cleanly
 * (reported, journalled) before the app exits, so the next start resumes where this one stopped.
 * Quit always works: a stop that fails or hangs is reported and the app quits all the same (the
 * journal is written as work happens, so nothing is lost that a crash would not keep), instead of
 * every later Quit failing the same way.
 */
export async function confirmQuit(options: {
  readonly uploading: number;
  readonly ask: (uploading: number) => Promise<boolean>;
  readonly flush: () => Promise<void>;
  readonly onFlushFailed: (error: unknown) => void;
  readonly flushMs?: number;
}): Promise<boolean> {
  if (options.uploading > 0 && !(await options.ask(options.uploading))) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    // For the log (in English, for support), not for people: the quit goes ahead either way.
    // eslint-disable-next-line no-restricted-syntax
    timer = setTimeout(() => reject(new Error('Stopping uploads took too long.')), options.flushMs ?? QUIT_FLUSH_MS);
  });
  try {
    await Promise.race([options.flush(), late]);
  } catch (error) {
    options.onFlushFailed(error);
  } finally {
    clearTimeout(timer);
  }
  return true;
}
