import { mkdir, readdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes, m } from '../../shared/i18n';
import { COPY_METADATA } from '../../shared/metadata';
import {
  COPY_FORMATS,
  copyName,
  copyRecipe,
  partTag,
  type CopyPart,
  type CopyProgress,
  type UploadCopy,
} from '../../shared/upload-copy';
import type { MediaKind, UploadStatus } from '../../shared/uploads';
import { Limiter } from '../util/limiter';
import { CopyFailed, findCut, makeCopy, timecodeOf, type Ffmpeg } from '../media/ffmpeg';
import { shiftTimecode } from '../media/timecode';
import { evenStretch } from '../media/copy-plan';
import { h264Encoder, X264, type H264Encoder } from '../media/h264-encoders';
import type { JournalItem } from './journal';
import { readFacts } from './file-facts';
import type { ItemTable } from './item-table';

/** Where upload copies are made, and with what. */
export interface CopiesSetup {
  readonly ffmpeg: Ffmpeg;
  /** The data folder's cache for copies: made there, sent from there, removed once sent. */
  readonly dir: string;
  /**
   * Room left free on the cache's disk beyond each copy's estimate (1 GiB unless given): a copy
   * waits for space rather than fill the disk the journal and the system live on.
   */
  readonly reserveBytes?: number;
  /** How long a copy waiting for space waits before it looks again. */
  readonly spaceRetryMs?: number;
}

export interface CopiesOptions extends CopiesSetup {
  readonly items: ItemTable;
  /** Copies made at once (the setting, read live). */
  readonly atOnce: () => number;
  /** Sets a status, journal first (the engine's one writer). */
  readonly setStatus: (id: string, status: UploadStatus) => Promise<void>;
  /** Takes a copy made whole: the engine puts it in the original's place and queues the file. */
  readonly made: (id: string, copy: UploadCopy) => Promise<void>;
  /** Whether copies may be made now (the engine started, not closed, the queue writable). */
  readonly mayRun: () => boolean;
  readonly progress: (id: string, progress: CopyProgress | null) => void;
  readonly notice: (id: string, notice: string | null) => Promise<void>;
  /** Whether `error` is a storage failure (the queue then holds until it can be written). */
  readonly holdIfStorage: (error: unknown) => boolean;
}

interface RunningCopy {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

const GiB = 1024 ** 3;

/** Where the copy of item `id` is made. */
export function copyPath(dir: string, id: string, copy: UploadCopy): string {
  return join(dir, `${id}${COPY_FORMATS[copy.format].extension}`);
}

/**
 * Makes the upload copies of files waiting for one, a few at a time (one by default) in the order
 * they were added, each into the cache as a part file renamed once whole; a made copy goes in the
 * queue with its own size and time, and is sent in its original's place.
 */
export class Copies {
  readonly #options: CopiesOptions;
  readonly #slots: Limiter;
  readonly #running = new Map<string, RunningCopy>();
  #swept = false;
  /** Copies waiting for disk space, each with the timer that looks again. */
  readonly #waiting = new Map<string, NodeJS.Timeout>();
  /** Where each split programme is cut, by file and even split: both parts beside a cut use it. */
  readonly #cuts = new Map<string, Promise<number>>();

  constructor(options: CopiesOptions) {
    this.#options = options;
    this.#slots = new Limiter(() => options.atOnce());
  }

  /**
   * Removes what no item needs from the cache: part files a kill left behind, and copies of
   * items removed while the app was closed.
   */
  async sweep(): Promise<void> {
    // No copy starts before this ends: a stale part file swept late could be a new one's.
    const names = await readdir(this.#options.dir).catch(() => [] as string[]);
    const needed = new Set(
      [...this.#options.items.values()].flatMap((item) => (item.copy?.made ? [item.copy.made.path] : [])),
    );
    for (const name of names) {
      const path = join(this.#options.dir, name);
      if (!needed.has(path)) await rm(path, { force: true }).catch(() => undefined);
    }
    this.#swept = true;
  }

  /**
   * Anything but FFmpeg's own failure (the cache's folder not writable, a rename refused): the
   * queue holds for a full disk, and otherwise the file says what happened, retryable.
   */
  async #unexpected(id: string, error: unknown): Promise<void> {
    this.#options.progress(id, null);
    if (this.#options.holdIfStorage(error)) return;
    await this.#options
      .setStatus(id, {
        kind: 'failed',
        code: 'copy_failed',
        message: m.copy_failed(),
        detail: error instanceof Error ? error.message : String(error),
        retryable: true,
      })
      .catch((stored: unknown) => this.#options.holdIfStorage(stored));
  }

  /** Starts copies of waiting files while slots are free, once the cache has been swept. */
  pump(): void {
    if (!this.#swept || !this.#options.mayRun()) return;
    for (const id of this.#options.items.copying) {
      if (this.#running.has(id) || this.#waiting.has(id)) continue;
      const release = this.#slots.tryAcquire();
      if (!release) return;
      const controller = new AbortController();
      const done = this.#run(id, controller.signal)
        .catch((error: unknown) => this.#unexpected(id, error))
        .finally(() => {
          release();
          this.#running.delete(id);
          this.pump();
        });
      this.#running.set(id, { controller, done });
    }
  }

  /** Stops the copy of `id` (its part file is removed); the item's fate is its caller's. */
  async stop(id: string, reason: string): Promise<void> {
    clearTimeout(this.#waiting.get(id));
    this.#waiting.delete(id);
    const running = this.#running.get(id);
    running?.controller.abort(reason);
    await running?.done;
  }

  /** Removes item `id`'s copy from the cache (sent, cancelled or removed). */
  async discard(id: string): Promise<void> {
    const made = this.#options.items.get(id)?.copy?.made;
    if (made) await rm(made.path, { force: true });
  }

  /** Stops every copy; one cut off stays 'copying' and is made again at the next start. */
  async close(): Promise<void> {
    for (const timer of this.#waiting.values()) clearTimeout(timer);
    this.#waiting.clear();
    await Promise.all([...this.#running.keys()].map((id) => this.stop(id, 'closing')));
  }

  async #run(id: string, signal: AbortSignal): Promise<void> {
    const { items, dir } = this.#options;
    const item = items.get(id);
    if (!item?.copy) return;
    const { made: _old, ...copy } = item.copy;
    if (!(await readFacts(item.path))) {
      await this.#options.setStatus(id, { kind: 'file-missing' });
      return;
    }
    await mkdir(dir, { recursive: true });
    if (!(await this.#roomFor(id, copy))) return;
    const output = copyPath(dir, id, copy);
    let made: UploadCopy;
    try {
      made = copy.part ? { ...copy, part: await this.#cutsOf(item.path, item.kind, copy, copy.part, signal) } : copy;
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const make = (encoder: H264Encoder) => {
      const started = Date.now();
      return makeCopy(this.#options.ffmpeg, made, item.path, output, {
        signal,
        encoder,
        onProgress: (fraction) => {
          const elapsed = (Date.now() - started) / 1000;
          // Said once a little is done: the first seconds of an encode say nothing of its pace.
          const secondsLeft = fraction > 0.02 && elapsed > 2 ? Math.round((elapsed * (1 - fraction)) / fraction) : null;
          this.#options.progress(id, { fraction, secondsLeft });
        },
      });
    };
    try {
      const encoder = made.format === 'h264-mp4' ? await h264Encoder(this.#options.ffmpeg) : X264;
      // A machine's own encoder that passed its trial may still refuse a file (a frame too large
      // for it, a driver's bad day): the processor makes that copy instead.
      await make(encoder).catch((error: unknown) => {
        if (signal.aborted || !(error instanceof CopyFailed) || encoder === X264) throw error;
        return make(X264);
      });
    } catch (error) {
      this.#options.progress(id, null);
      if (signal.aborted) return;
      if (!(error instanceof CopyFailed)) throw error;
      await this.#options.setStatus(id, {
        kind: 'failed',
        code: 'copy_failed',
        message: m.copy_failed(),
        detail: error.lastLines,
        retryable: true,
      });
      return;
    }
    this.#options.progress(id, null);
    const facts = await readFacts(output);
    const current = items.get(id);
    // Stopped or removed while the last bytes were written: the copy is not wanted.
    if (!facts || !current || current.status.kind !== 'copying' || signal.aborted) {
      await rm(output, { force: true });
      return;
    }
    await this.#options.made(id, { ...made, made: { path: output, size: facts.size, mtimeMs: facts.mtimeMs } });
  }

  /**
   * A part's stretch as it is made: each end that is not the programme's own moved to the cut
   * nearby (a change of shot, or a pause for sound alone), the same for both parts beside it.
   */
  async #cutsOf(
    path: string,
    kind: MediaKind,
    copy: UploadCopy,
    part: CopyPart,
    signal: AbortSignal,
  ): Promise<CopyPart> {
    const cut = (around: number) => {
      const key = `${path}\n${around}`;
      let found = this.#cuts.get(key);
      if (!found) {
        // Not tied to this part's stop: the part on the cut's other side may be waiting for it too.
        found = findCut(this.#options.ffmpeg, path, around, part.leeway, kind === 'video');
        // A cut not found (FFmpeg failed) is looked for again by the next part that needs it.
        found.catch(() => this.#cuts.delete(key));
        this.#cuts.set(key, found);
      }
      return Promise.race([found, stopped]);
    };
    const stopped = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
    );
    stopped.catch(() => undefined);
    // Around the even split, never the cuts a copy made before was given (made again, it must meet
    // its neighbours where they were cut).
    const even = evenStretch(copy, part.index);
    const start = part.index > 1 ? await cut(even.start) : even.start;
    const end = part.index < part.of ? await cut(even.end) : even.end;
    const original = part.index > 1 && kind === 'video' ? await timecodeOf(this.#options.ffmpeg, path) : null;
    const timecode = original && shiftTimecode(original.timecode, start, original.fps);
    return { ...part, start, end, ...(timecode && { timecode }) };
  }

  /**
   * Whether the copy fits on the cache's disk with room to spare; if not, it says so on its row
   * and looks again in a while, holding rather than failing.
   */
  async #roomFor(id: string, copy: UploadCopy): Promise<boolean> {
    const { dir, reserveBytes = GiB, spaceRetryMs = 30_000 } = this.#options;
    const disk = await statfs(dir);
    const free = disk.bavail * disk.bsize;
    const needed = copy.estimateBytes * 1.25;
    if (free >= needed + reserveBytes) {
      // The only notice a file waiting for its copy carries is the wait for space (kept over a restart).
      if (this.#options.items.get(id)?.notice !== undefined) await this.#options.notice(id, null);
      return true;
    }
    await this.#options.notice(id, m.copy_no_space({ needed: formatBytes(needed), free: formatBytes(free) }));
    this.#waiting.set(
      id,
      setTimeout(() => {
        this.#waiting.delete(id);
        this.pump();
      }, spaceRetryMs),
    );
    return false;
  }
}

/** An upload copy that should be in the cache is not (or is not as it was made): it is made again. */
export class CopyGone extends Error {
  constructor() {
    super('The upload copy is no longer in the cache.');
    this.name = 'CopyGone';
  }
}

/**
 * What is sent for an item with a made upload copy: the copy's file, size, type and name, with
 * metadata naming the original (its fingerprint is already the item's `content_sha256`).
 */
export function uploadSource(item: JournalItem, made: NonNullable<UploadCopy['made']>): JournalItem {
  const copy = item.copy!;
  return {
    ...item,
    path: made.path,
    size: made.size,
    mtimeMs: made.mtimeMs,
    mime: COPY_FORMATS[copy.format].mime,
    name: copyName(item.name, copy.format, copy.part),
    userMetadata: {
      ...item.userMetadata,
      [COPY_METADATA.of]: item.name,
      [COPY_METADATA.path]: item.path,
      [COPY_METADATA.size]: item.size,
      [COPY_METADATA.format]: copy.original,
      ...(copy.durationSeconds !== null && {
        [COPY_METADATA.duration]: Math.round(copy.durationSeconds * 1000) / 1000,
      }),
      [COPY_METADATA.recipe]: copyRecipe(copy),
      ...(copy.part && {
        [COPY_METADATA.part]: partTag(copy.part),
        [COPY_METADATA.partStart]: Math.round(copy.part.start * 1000) / 1000,
        [COPY_METADATA.partEnd]: Math.round(copy.part.end * 1000) / 1000,
      }),
    },
  };
}
