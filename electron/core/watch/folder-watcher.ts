import { EventEmitter } from 'node:events';
import { lstat, realpath, stat, statfs } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { notAFile, openRegular } from '../media/regular-file';
import { isInside, isJunk, isSidecar, type SkippedPath } from '../media/scan';

/** A file in a watched folder that is complete: unchanged for the settle time, and readable. */
export interface SettledFile {
  readonly path: string;
  /** From the watched folder's own name down, as folder scans give it ("Card 1/A001.mov"). */
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export type FolderState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'watching'; readonly polling: boolean }
  | { readonly kind: 'missing' };

export interface FolderWatcherOptions {
  readonly root: string;
  readonly subfolders: boolean;
  /** Read on a timer ('on'), told of changes ('off'), or decided by the file system ('auto'). */
  readonly polling: 'auto' | 'on' | 'off';
  /** How long size and modification time must stay the same before a file counts as complete. */
  readonly settleMs: number;
  /** How often a missing folder is looked for, and polled folders are read. */
  readonly pollMs?: number;
}

/**
 * File systems whose change events are unreliable or absent (Linux `statfs` types): NFS, SMB and
 * CIFS shares, FUSE mounts (sshfs, rclone). Such folders are polled.
 */
const NETWORK_FILE_SYSTEMS = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546]);

/** Files looked at together when their settle time is up. */
const SETTLE_BATCH = 64;

export async function needsPolling(path: string): Promise<boolean> {
  const info = await statfs(path).catch(() => null);
  return info !== null && NETWORK_FILE_SYSTEMS.has(info.type);
}

/**
 * Watches one folder and says when a file in it is complete. Events only say that something
 * changed; a file counts once its size and modification time have held for `settleMs` and it
 * opens for reading, so a card offload or a render still being written is never taken half-way.
 * The first pass reports what is already there (the catch-up after the app was closed). A folder
 * that goes away (a drive unplugged) is looked for until it is back, then read again.
 */
export class FolderWatcher extends EventEmitter<{
  file: [SettledFile];
  skipped: [SkippedPath];
  state: [FolderState];
  ready: [];
}> {
  readonly #options: FolderWatcherOptions;
  #watcher: FSWatcher | null = null;
  /** Files seen changing, not yet settled: path -> what was seen and since when. */
  readonly #pending = new Map<string, { size: number; mtimeMs: number; since: number }>();
  #timer: NodeJS.Timeout | undefined;
  #state: FolderState = { kind: 'starting' };
  /** Paths passed over, each counted once however often it changes. */
  readonly #skipped = new Set<string>();
  /** The watched folder's real path: links are followed only to files within it. */
  #inside = '';
  #closed = false;

  constructor(options: FolderWatcherOptions) {
    super();
    this.#options = options;
  }

  get state(): FolderState {
    return this.#state;
  }

  /** How many files are waiting to settle. */
  get settling(): number {
    return this.#pending.size;
  }

  /** How many things that appeared were passed over (not files, or links that cannot be followed). */
  get skipped(): number {
    return this.#skipped.size;
  }

  async start(): Promise<void> {
    const { root } = this.#options;
    const info = await stat(root).catch(() => null);
    if (this.#closed) return;
    if (!info?.isDirectory()) {
      this.#setState({ kind: 'missing' });
      this.#timer = setTimeout(() => void this.start(), this.#options.pollMs ?? 2000);
      return;
    }
    const polling = this.#options.polling === 'auto' ? await needsPolling(root) : this.#options.polling === 'on';
    this.#inside = await realpath(root).catch(() => root);
    const watcher = watch(root, {
      ignoreInitial: false,
      alwaysStat: true,
      // Links are looked at one by one, with the rules of an added folder (see #settleOne): never
      // walked into, so a link out of the folder or around a loop is not followed.
      followSymlinks: false,
      usePolling: polling,
      interval: this.#options.pollMs ?? 2000,
      binaryInterval: this.#options.pollMs ?? 2000,
      ...(this.#options.subfolders ? {} : { depth: 0 }),
      ignored: (path, stats) => {
        if (path === root) return false;
        const name = basename(path);
        return isJunk(name) || (stats?.isFile() === true && isSidecar(name));
      },
    });
    this.#watcher = watcher;
    watcher.on('add', (path, stats) => stats && this.#seen(path, stats.size, stats.mtimeMs));
    watcher.on('change', (path, stats) => stats && this.#seen(path, stats.size, stats.mtimeMs));
    watcher.on('unlink', (path) => {
      this.#pending.delete(path);
      this.#skipped.delete(path);
    });
    watcher.on('unlinkDir', (path) => {
      if (path === root) void this.#lost();
    });
    watcher.on('error', () => void this.#checkRoot());
    watcher.once('ready', () => {
      this.#setState({ kind: 'watching', polling });
      this.emit('ready');
    });
    this.#tick();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#watcher?.close();
    this.#watcher = null;
  }

  #seen(path: string, size: number, mtimeMs: number): void {
    const known = this.#pending.get(path);
    if (known && known.size === size && known.mtimeMs === mtimeMs) return;
    this.#pending.set(path, { size, mtimeMs, since: Date.now() });
  }

  /** Looks at the files waiting to settle, a few times per settle time. */
  #tick(): void {
    const every = Math.max(50, Math.min(1000, this.#options.settleMs / 4));
    this.#timer = setTimeout(async () => {
      // Events do not always tell of the folder itself going (a drive unplugged, a rename): asked.
      if (!(await stat(this.#options.root).catch(() => null))) {
        await this.#lost();
        return;
      }
      await this.#settle();
      if (!this.#closed && this.#watcher) this.#tick();
    }, every);
    this.#timer.unref();
  }

  /** Looks again at every file whose settle time has passed, a few dozen at a time. */
  async #settle(): Promise<void> {
    const now = Date.now();
    const due = [...this.#pending].filter(([, seen]) => now - seen.since >= this.#options.settleMs);
    for (let start = 0; start < due.length; start += SETTLE_BATCH) {
      await Promise.all(due.slice(start, start + SETTLE_BATCH).map(([path, seen]) => this.#settleOne(path, seen, now)));
    }
  }

  async #settleOne(path: string, seen: { size: number; mtimeMs: number }, now: number): Promise<void> {
    const problem = await this.#notToOpen(path);
    if (problem) {
      this.#pending.delete(path);
      if (problem !== 'gone' && !this.#skipped.has(path)) {
        this.#skipped.add(path);
        this.emit('skipped', { path, reason: problem });
      }
      return;
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      this.#pending.delete(path);
      return;
    }
    if (info.size !== seen.size || info.mtimeMs !== seen.mtimeMs) {
      // Still being written: the wait starts again.
      this.#pending.set(path, { size: info.size, mtimeMs: info.mtimeMs, since: now });
      return;
    }
    if (!(await readable(path))) return;
    this.#pending.delete(path);
    this.emit('file', {
      path,
      relativePath: relative(dirname(this.#options.root), path).split(sep).join('/'),
      size: info.size,
      mtimeMs: info.mtimeMs,
    });
  }

  /**
   * Why a path that appeared is not a file to send: a pipe, device or socket, a link whose target
   * is gone or loops, a link out of the folder; 'gone' when it went away; null for a regular file
   * (or a link to one inside the folder). A link to a folder inside is passed over quietly: that
   * folder is watched under its own name.
   */
  async #notToOpen(path: string): Promise<SkippedPath['reason'] | 'gone' | null> {
    const link = await lstat(path).catch(() => null);
    if (!link) return 'gone';
    if (link.isSymbolicLink()) {
      const target = await realpath(path).catch((error: NodeJS.ErrnoException) => error.code ?? 'unreadable');
      if (target === 'ELOOP') return 'symlink-loop';
      if (target === 'ENOENT') return 'broken-link';
      if (!isInside(target, this.#inside)) return 'link-outside';
      const info = await stat(path).catch(() => null);
      if (!info) return 'unreadable';
      if (info.isDirectory()) return 'gone';
      return notAFile(info) ? 'not-a-file' : null;
    }
    return notAFile(link) ? 'not-a-file' : null;
  }

  async #checkRoot(): Promise<void> {
    if (!(await stat(this.#options.root).catch(() => null))) await this.#lost();
  }

  /** The folder went away: stop watching it and look for it until it is back. */
  async #lost(): Promise<void> {
    if (this.#closed || this.#state.kind === 'missing') return;
    clearTimeout(this.#timer);
    const watcher = this.#watcher;
    this.#watcher = null;
    this.#pending.clear();
    await watcher?.close();
    this.#setState({ kind: 'missing' });
    this.#timer = setTimeout(() => void this.start(), this.#options.pollMs ?? 2000);
  }

  #setState(state: FolderState): void {
    this.#state = state;
    this.emit('state', state);
  }
}

/** Whether a regular file opens for reading now (a file still locked by its writer may not). */
async function readable(path: string): Promise<boolean> {
  try {
    await (await openRegular(path)).close();
    return true;
  } catch {
    return false;
  }
}
