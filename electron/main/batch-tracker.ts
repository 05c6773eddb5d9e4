import type { UploadTotals } from '../shared/uploads';
import { formatBytes, formatDuration } from '../shared/uploads';

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
 * Turns queue totals into what the OS shows. A batch starts when work appears and ends when none is
 * left: one notification then ("1,204 files uploaded, 4 need attention"), never one per file.
 */
export class BatchTracker {
  #active = false;
  #doneAtStart = 0;
  #failedAtStart = 0;
  #sleepBlocked = false;

  constructor(
    private readonly os: OsPort,
    private readonly settings: () => TrackerSettings,
  ) {}

  update(totals: UploadTotals): void {
    const open = totals.files - totals.filesDone - totals.filesFailed;
    const active = open > 0;
    if (active && !this.#active) {
      this.#doneAtStart = totals.filesDone;
      this.#failedAtStart = totals.filesFailed;
    }
    const share = totals.bytes > 0 ? totals.bytesDone / totals.bytes : 1;
    this.os.setProgress(active ? Math.min(1, share) : -1);
    this.os.setTooltip(
      active
        ? `Uploading: ${totals.filesDone} of ${totals.files} files, ${formatBytes(totals.bytesDone)} of ${formatBytes(totals.bytes)}` +
            (totals.secondsLeft !== null ? `, about ${formatDuration(totals.secondsLeft)} left` : '')
        : 'TwelveLabs Uploader: nothing uploading',
    );
    const wantBlock = active && this.settings().keepAwake;
    if (wantBlock !== this.#sleepBlocked) {
      this.#sleepBlocked = wantBlock;
      this.os.preventSleep(wantBlock);
    }
    if (!active && this.#active && this.settings().notifications) {
      const done = totals.filesDone - this.#doneAtStart;
      const failed = totals.filesFailed - this.#failedAtStart;
      const files = `${done.toLocaleString()} ${done === 1 ? 'file' : 'files'} uploaded`;
      this.os.notify(
        failed > 0 ? 'Uploads need attention' : 'Uploads finished',
        failed > 0 ? `${files}, ${failed.toLocaleString()} need attention` : files,
      );
    }
    this.#active = active;
  }
}

/**
 * Quitting while files upload asks first; when the person agrees, uploads are stopped cleanly
 * (reported, journalled) before the app exits, so the next start resumes where this one stopped.
 */
export async function confirmQuit(options: {
  readonly uploading: number;
  readonly ask: (uploading: number) => Promise<boolean>;
  readonly flush: () => Promise<void>;
}): Promise<boolean> {
  if (options.uploading > 0 && !(await options.ask(options.uploading))) return false;
  await options.flush();
  return true;
}
