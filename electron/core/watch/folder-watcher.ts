import { EventEmitter } from 'node:events';
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { lstat, readdir, stat, statfs } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import type { WatchedFolderView } from '../../shared/watch';
import { notAFile, openRegular } from '../media/regular-file';
import {
  asText,
  isInside,
  isJunk,
  isSidecar,
  joinPath,
  linkTarget,
  nameBytes,
  readablePath,
  realOf,
  shownName,
  type FsPath,
  type ScanOptions,
  type SkippedPath,
} from '../media/scan';

/** A file in a watched folder that is complete: unchanged for the settle time, and readable. */
export interface SettledFile {
  readonly path: string;
  /** From the watched folder's own name down, as folder scans give it ("Card 1/A001.mov"). */
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Set for a name that is not valid UTF-8 (see `FoundFile.nameBytes`): `path` is then a link to it. */
  readonly nameBytes?: string;
}

/** Why a folder is read on a timer, if it is (see `WatchedFolderView.polling`). */
export type Polling = WatchedFolderView['polling'];

export type FolderState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'watching'; readonly polling: Polling }
  | { readonly kind: 'missing' };

/** How one folder is watched: `fs.watch`, non-recursive, with names as bytes. A seam for tests. */
export type WatchFolder = (
  path: FsPath,
  options: { readonly encoding: 'buffer' },
  listener: (event: string, name: Buffer | null) => void,
) => FSWatcher;

export interface FolderWatcherOptions {
  readonly root: string;
  readonly subfolders: boolean;
  /** Read on a timer ('on'), told of changes ('off'), or decided by the file system ('auto'). */
  readonly polling: 'auto' | 'on' | 'off';
  /** How long size and modification time must stay the same before a file counts as complete. */
  readonly settleMs: number;
  /** How often a missing folder is looked for, and polled folders are read. */
  readonly pollMs?: number;
  /** Reaches files whose names are not valid UTF-8; without it they are skipped as 'bad-name'. */
  readonly alias?: ScanOptions['alias'];
  readonly watch?: WatchFolder;
}

/**
 * File systems whose change events are unreliable or absent (Linux `statfs` types): NFS, SMB and
 * CIFS shares, FUSE mounts (sshfs, rclone). Such folders are polled.
 */
const NETWORK_FILE_SYSTEMS = new Set([0x6969, 0x517b, 0xff534d42, 0xfe534d42, 0x65735546]);

/** Files looked at together: when their settle time is up, and names of a folder being read. */
const BATCH = 64;

/** What `fs.watch` throws when the system's limit of watched folders (or open files) is reached. */
const LIMIT_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

export async function needsPolling(path: string): Promise<boolean> {
  const info = await statfs(path).catch(() => null);
  return info !== null && NETWORK_FILE_SYSTEMS.has(info.type);
}

/** A map key for a path: the text itself, or its bytes (a path in text never holds a NUL). */
const keyOf = (path: FsPath): string => (typeof path === 'string' ? path : `\0${path.toString('latin1')}`);

/**
 * Watches one folder and says when a file in it is complete. Events only say that something
 * changed; a file counts once its size and modification time have held for `settleMs` and it
 * opens for reading, so a card offload or a render still being written is never taken half-way.
 * The first pass reports what is already there (the catch-up after the app was closed). A folder
 * that goes away (a drive unplugged) is looked for until it is back, then read again.
 *
 * Each folder of the tree has one watch (never one per file), and a file costs memory only while it
 * is settling, so a tree of 100,000 files costs a few hundred bytes a file at most. Where no watch
 * can be had (the system's limit reached), the folder is read on a timer instead, and says so.
 */
export class FolderWatcher extends EventEmitter<{
  file: [SettledFile];
  skipped: [SkippedPath];
  state: [FolderState];
  ready: [];
}> {
  readonly #options: FolderWatcherOptions;
  readonly #watch: WatchFolder;
  /** Folders of the tree (by key): their watch, or null while the tree is polled. */
  readonly #folders = new Map<string, FSWatcher | null>();
  /** Files seen changing, not yet settled: key -> the path, what was seen and since when. */
  readonly #pending = new Map<string, { path: FsPath; size: number; mtimeMs: number; since: number }>();
  /** Polled trees only: what each file was at the last reading (key -> "size:mtime"). */
  #known = new Map<string, string>();
  /** While a polled tree is read again: what was known at the reading before. */
  #previous: Map<string, string> | null = null;
  #timer: NodeJS.Timeout | undefined;
  #lastPoll = 0;
  #state: FolderState = { kind: 'starting' };
  #polling: Polling = false;
  /** Paths passed over, each counted once however often it changes. */
  readonly #skipped = new Set<string>();
  /** The watched folder's real path (as latin1, see `realOf`): links are followed only to files within it. */
  #inside = '';
  #running = false;
  #closed = false;

  constructor(options: FolderWatcherOptions) {
    super();
    this.#options = options;
    this.#watch = options.watch ?? watchFolder;
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
    const asked = this.#options.polling;
    this.#polling = asked === 'on' ? 'asked' : asked === 'auto' && (await needsPolling(root)) ? 'network' : false;
    this.#inside = (await realOf(root)) ?? root;
    this.#running = true;
    this.#lastPoll = Date.now();
    // Read in the background ('ready' says when it is done): a large tree does not hold up the others.
    void this.#read(root)
      .catch(() => undefined)
      .then(() => {
        if (!this.#running) return;
        this.#setState({ kind: 'watching', polling: this.#polling });
        this.emit('ready');
        this.#tick();
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stop();
  }

  #stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    for (const watcher of this.#folders.values()) watcher?.close();
    this.#folders.clear();
    this.#pending.clear();
    this.#known.clear();
  }

  /**
   * Reads one folder of the tree (and, the first time, the folders in it): watches it first, so
   * nothing written while it is read is missed, then looks at each name in it.
   */
  async #read(folder: FsPath): Promise<void> {
    const key = keyOf(folder);
    if (!this.#folders.has(key)) this.#folders.set(key, this.#polling ? null : this.#watchOne(folder));
    let names: Buffer[];
    try {
      // As bytes: a name that is not valid UTF-8 read as text opens nothing.
      names = await readdir(folder, { encoding: 'buffer' });
    } catch {
      if (folder !== this.#options.root && (await lstat(folder).catch(() => null))) this.#skip(folder, 'unreadable');
      return;
    }
    for (let start = 0; start < names.length && this.#running; start += BATCH) {
      await Promise.all(names.slice(start, start + BATCH).map((name) => this.#look(folder, name)));
    }
  }

  #watchOne(folder: FsPath): FSWatcher | null {
    try {
      const watcher = this.#watch(folder, { encoding: 'buffer' }, (_event, name) => {
        if (!this.#running) return;
        // No name (rare: some file systems): the whole folder is read again.
        const looked = name ? this.#look(folder, name) : this.#read(folder);
        looked.catch(() => undefined);
      });
      // The folder went (its parent's event says so) or the watch broke: the tick looks again.
      watcher.on('error', () => void this.#forget(folder));
      return watcher;
    } catch (error) {
      if (LIMIT_CODES.has((error as NodeJS.ErrnoException).code ?? '')) this.#toPolling();
      return null;
    }
  }

  /**
   * The system will watch no more folders: the whole tree is read on a timer from now on (files
   * already waiting keep waiting), and the folder says why.
   */
  #toPolling(): void {
    if (this.#polling) return;
    this.#polling = 'limit';
    for (const [key, watcher] of this.#folders) {
      watcher?.close();
      this.#folders.set(key, null);
    }
    if (this.#state.kind === 'watching') this.#setState({ kind: 'watching', polling: 'limit' });
  }

  /** Something named `name` in `folder` appeared, changed or went. */
  async #look(folder: FsPath, name: Buffer): Promise<void> {
    const shown = shownName(name);
    if (isJunk(shown)) return;
    const path = joinPath(folder, name);
    const key = keyOf(path);
    const link = await lstat(path).catch(() => null);
    if (!link) return this.#forget(path);
    if (link.isDirectory()) {
      if (this.#options.subfolders && !this.#folders.has(key)) await this.#read(path);
      return;
    }
    if (link.isFile() && isSidecar(shown)) return;
    // A link is judged by what it leads to when it settles (see #notToOpen); its size is its target's.
    const info = link.isSymbolicLink() ? ((await stat(path).catch(() => null)) ?? link) : link;
    const stamp = `${info.size}:${info.mtimeMs}`;
    if (this.#polling) {
      const was = this.#known.get(key) ?? this.#previous?.get(key);
      this.#known.set(key, stamp);
      if (was === stamp) return;
    }
    const seen = this.#pending.get(key);
    if (seen && seen.size === info.size && seen.mtimeMs === info.mtimeMs) return;
    const now = Date.now();
    const entry = { path, size: info.size, mtimeMs: info.mtimeMs, since: now };
    // Not written to for longer than the settle time already (what a catch-up mostly finds): no
    // wait, and nothing held for it. A time in the future (a camera's clock) proves nothing: it waits.
    const age = now - info.mtimeMs;
    if (!seen && age >= this.#options.settleMs && age < Number.MAX_SAFE_INTEGER) {
      await this.#settleOne(key, entry, now);
      return;
    }
    this.#pending.set(key, entry);
  }

  /** `path` is gone: so is whatever was waiting or watched under it. */
  #forget(path: FsPath): void {
    const key = keyOf(path);
    const under = key + sep;
    for (const map of [this.#pending, this.#known]) {
      for (const known of map.keys()) if (known === key || known.startsWith(under)) map.delete(known);
    }
    for (const [folder, watcher] of this.#folders) {
      if (folder !== key && !folder.startsWith(under)) continue;
      watcher?.close();
      this.#folders.delete(folder);
    }
    this.#skipped.delete(readablePath(path));
  }

  /** Looks at the files waiting to settle, a few times per settle time; polled trees are read again. */
  #tick(): void {
    const every = Math.max(50, Math.min(1000, this.#options.settleMs / 4));
    this.#timer = setTimeout(() => void this.#turn(), every);
    this.#timer.unref();
  }

  async #turn(): Promise<void> {
    // Events do not always tell of the folder itself going (a drive unplugged, a rename): asked.
    if (!(await stat(this.#options.root).catch(() => null))) {
      this.#lost();
      return;
    }
    const pollMs = this.#options.pollMs ?? 2000;
    if (this.#polling && Date.now() - this.#lastPoll >= pollMs) await this.#poll();
    await this.#settle();
    if (this.#running) this.#tick();
  }

  /** Reads a polled tree again: what changed starts to settle, what went is forgotten. */
  async #poll(): Promise<void> {
    // Read afresh: whatever is not met again is forgotten with the old map.
    this.#previous = this.#known;
    this.#known = new Map();
    this.#folders.clear();
    try {
      await this.#read(this.#options.root);
    } finally {
      this.#previous = null;
      this.#lastPoll = Date.now();
    }
  }

  /** Looks again at every file whose settle time has passed, a few dozen at a time. */
  async #settle(): Promise<void> {
    const now = Date.now();
    const due = [...this.#pending].filter(([, seen]) => now - seen.since >= this.#options.settleMs);
    for (let start = 0; start < due.length && this.#running; start += BATCH) {
      await Promise.all(due.slice(start, start + BATCH).map(([key, seen]) => this.#settleOne(key, seen, now)));
    }
  }

  async #settleOne(
    key: string,
    seen: { path: FsPath; size: number; mtimeMs: number; since: number },
    now: number,
  ): Promise<void> {
    const { path } = seen;
    const problem = await this.#notToOpen(path);
    if (problem) {
      this.#pending.delete(key);
      if (problem !== 'gone') this.#skip(path, problem);
      return;
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      this.#pending.delete(key);
      return;
    }
    if (info.size !== seen.size || info.mtimeMs !== seen.mtimeMs) {
      // Still being written: the wait starts again.
      this.#pending.set(key, { path, size: info.size, mtimeMs: info.mtimeMs, since: now });
      return;
    }
    if (!(await readable(path))) {
      // Still held by its writer: looked at again on the next turn.
      if (!this.#pending.has(key)) this.#pending.set(key, { ...seen, since: now });
      return;
    }
    // Changed again while it was looked at: the newer sighting decides.
    const current = this.#pending.get(key);
    if (current !== undefined && current !== seen) return;
    this.#pending.delete(key);
    const said = readablePath(path);
    const found = {
      relativePath: relative(dirname(this.#options.root), said).split(sep).join('/'),
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
    if (typeof path === 'string') {
      this.emit('file', { path, ...found });
      return;
    }
    // A name that is not valid UTF-8: reached through a link that holds its bytes (as in a scan).
    const reachable = this.#options.alias ? await this.#options.alias(path, basename(said)).catch(() => null) : null;
    if (reachable === null) {
      this.#skip(path, 'bad-name');
      return;
    }
    const name = path.subarray(path.lastIndexOf(sep.charCodeAt(0)) + 1);
    this.emit('file', { path: reachable, ...found, ...(asText(name) === null && { nameBytes: nameBytes(name) }) });
  }

  #skip(path: FsPath, reason: SkippedPath['reason']): void {
    const said = readablePath(path);
    if (this.#skipped.has(said)) return;
    this.#skipped.add(said);
    this.emit('skipped', { path: said, reason });
  }

  /**
   * Why a path that appeared is not a file to send: a pipe, device or socket, a link whose target
   * is gone or loops, a link out of the folder; 'gone' when it went away; null for a regular file
   * (or a link to one inside the folder). A link to a folder inside is passed over quietly: that
   * folder is watched under its own name.
   */
  async #notToOpen(path: FsPath): Promise<SkippedPath['reason'] | 'gone' | null> {
    const link = await lstat(path).catch(() => null);
    if (!link) return 'gone';
    if (!link.isSymbolicLink()) return notAFile(link) ? 'not-a-file' : null;
    const target = await linkTarget(path);
    if ('problem' in target) return target.problem;
    if (!isInside(target.real, this.#inside)) return 'link-outside';
    const info = await stat(path).catch(() => null);
    if (!info) return 'unreadable';
    if (info.isDirectory()) return 'gone';
    return notAFile(info) ? 'not-a-file' : null;
  }

  /** The folder went away: stop watching it and look for it until it is back. */
  #lost(): void {
    if (this.#closed || this.#state.kind === 'missing') return;
    this.#stop();
    this.#setState({ kind: 'missing' });
    this.#timer = setTimeout(() => void this.start(), this.#options.pollMs ?? 2000);
  }

  #setState(state: FolderState): void {
    this.#state = state;
    this.emit('state', state);
  }
}

/** Whether a regular file opens for reading now (a file still locked by its writer may not). */
async function readable(path: FsPath): Promise<boolean> {
  try {
    await (await openRegular(path)).close();
    return true;
  } catch {
    return false;
  }
}
