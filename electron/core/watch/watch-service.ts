import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import type { TemplateField } from '../../shared/metadata';
import type { IndexChoice } from '../../shared/indexes';
import type { WatchedFolderView } from '../../shared/watch';
import { identify } from '../media/sniff';
import type { Journal } from '../upload/journal';
import { fileToAdd, type FileToAdd } from '../media/intake';
import type { ScanOptions, SkippedPath } from '../media/scan';
import type { UploadEngine } from '../upload/engine';
import { FolderWatcher, type FolderState, type SettledFile } from './folder-watcher';

/** One watched folder as it is configured (the app's settings, or the CLI's arguments). */
export interface WatchedFolder {
  readonly id: string;
  readonly path: string;
  readonly paused: boolean;
  readonly subfolders: boolean;
  readonly polling: 'auto' | 'on' | 'off';
  readonly metadataTemplate: readonly TemplateField[];
  /** The index its files go into once uploaded. */
  readonly index?: IndexChoice | null;
}

/** A folder a command asks the owner of the queue to watch for it: a watched folder, always active. */
export type LentFolder = Omit<WatchedFolder, 'id' | 'paused'>;

const WAITING = new Set(['checking', 'queued', 'uploading', 'paused', 'processing']);

/** Files found complete within this long are queued together, in one journal write. */
const BATCH_MS = 100;

/**
 * Watched folders fill the queue by themselves: each complete file goes to the same engine as a
 * file added by hand, with the folder's own metadata fields, and only once. What a folder queued
 * is remembered by path, size and modification time (so a restart's catch-up queues only what
 * arrived or changed while the app was closed); a file renamed, moved or copied within the tree
 * is recognised by its content (the fingerprint every check computes) and never sent twice.
 * Deleting a local file never deletes anything in TwelveLabs.
 */
export class WatchService extends EventEmitter<{
  change: [];
  /** Something that appeared in a watched folder was passed over (each once), and why. */
  skipped: [SkippedPath];
}> {
  readonly #engine: UploadEngine;
  readonly #journal: Journal;
  readonly #settleMs: number;
  readonly #pollMs: number | undefined;
  readonly #alias: ScanOptions['alias'];
  readonly #now: () => number;
  readonly #watching = new Map<string, { folder: WatchedFolder; watcher: FolderWatcher | null }>();
  readonly #lastUpload = new Map<string, number>();
  readonly #items = new Map<string, Set<string>>();
  /** What each folder has queued (from the journal), so a burst costs no query per file. */
  readonly #seen = new Map<string, Map<string, { size: number; mtimeMs: number }>>();
  #batch: { folder: WatchedFolder; file: SettledFile }[] = [];
  #batchTimer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #setting: Promise<void> = Promise.resolve();
  /** The folders of the settings (or the CLI's), and those lent to commands. */
  #base: readonly WatchedFolder[] = [];
  readonly #lent = new Map<symbol, readonly WatchedFolder[]>();
  #closed = false;

  constructor(options: {
    readonly engine: UploadEngine;
    readonly journal: Journal;
    /** Size and time unchanged for this long: the file is complete (10 s unless given). */
    readonly settleMs?: number;
    readonly pollMs?: number;
    /** Reaches files whose names are not valid UTF-8 (see `nameAliases`); without it they are skipped. */
    readonly alias?: ScanOptions['alias'];
    readonly now?: () => number;
  }) {
    super();
    this.#engine = options.engine;
    this.#journal = options.journal;
    this.#settleMs = options.settleMs ?? 10_000;
    this.#pollMs = options.pollMs;
    this.#alias = options.alias;
    this.#now = options.now ?? Date.now;
    this.#engine.on('change', (change) => {
      let changed = false;
      for (const item of change.items) {
        for (const [id, ids] of this.#items) {
          if (!ids.has(item.id)) continue;
          changed = true;
          if (item.status.kind === 'ready') this.#lastUpload.set(id, this.#now());
        }
      }
      if (changed) this.emit('change');
    });
  }

  /**
   * Starts, stops and restarts watchers so exactly these folders are watched. Calls are applied
   * one after another, in order.
   */
  set(folders: readonly WatchedFolder[]): Promise<void> {
    this.#base = folders;
    return this.#reapply();
  }

  /**
   * Watches these too, for a command that handed its `watch` to this process, until the returned
   * function is called. A folder also in the settings is watched once, as the settings say.
   */
  lend(folders: readonly LentFolder[]): () => void {
    const token = Symbol('lent');
    this.#lent.set(
      token,
      folders.map((folder) => ({ ...folder, id: folder.path, paused: false })),
    );
    void this.#reapply();
    return () => {
      this.#lent.delete(token);
      void this.#reapply();
    };
  }

  #reapply(): Promise<void> {
    const byId = new Map<string, WatchedFolder>();
    for (const folders of this.#lent.values()) for (const folder of folders) byId.set(folder.id, folder);
    for (const folder of this.#base) byId.set(folder.id, folder);
    const all = [...byId.values()];
    this.#setting = this.#setting.catch(() => undefined).then(() => this.#apply(all));
    return this.#setting;
  }

  /** Resolves when the folders last set are being watched. */
  settled(): Promise<void> {
    return this.#setting.catch(() => undefined);
  }

  async #apply(folders: readonly WatchedFolder[]): Promise<void> {
    if (this.#closed) return;
    const wanted = new Map(folders.map((folder) => [folder.id, folder]));
    for (const [id, entry] of this.#watching) {
      const next = wanted.get(id);
      if (!next || JSON.stringify(next) !== JSON.stringify(entry.folder)) {
        await entry.watcher?.close();
        this.#watching.delete(id);
      }
    }
    for (const folder of folders) {
      if (this.#watching.has(folder.id)) continue;
      const ids = new Set(await this.#journal.watchItems(folder.id));
      this.#items.set(folder.id, ids);
      this.#seen.set(folder.id, await this.#journal.watchSeen(folder.id));
      const watcher = folder.paused
        ? null
        : new FolderWatcher({
            root: folder.path,
            subfolders: folder.subfolders,
            polling: folder.polling,
            settleMs: this.#settleMs,
            ...(this.#pollMs !== undefined && { pollMs: this.#pollMs }),
            alias: this.#alias,
          });
      this.#watching.set(folder.id, { folder, watcher });
      watcher?.on('file', (file) => this.#offer(folder, file));
      watcher?.on('state', () => this.emit('change'));
      watcher?.on('skipped', (skip) => {
        this.emit('skipped', skip);
        this.emit('change');
      });
      await watcher?.start();
    }
    this.emit('change');
  }

  views(): WatchedFolderView[] {
    return [...this.#watching.values()].map(({ folder, watcher }) => {
      const state: FolderState = watcher?.state ?? { kind: 'starting' };
      const ids = this.#items.get(folder.id) ?? new Set<string>();
      // Each folder's own files, looked up: never a view of the whole queue (read on every change);
      // those waiting their turn in the journal alone are counted by the engine.
      let waiting = this.#engine.shelved(folder.path);
      for (const id of ids) if (WAITING.has(this.#engine.held(id)?.status.kind ?? '')) waiting += 1;
      return {
        id: folder.id,
        path: folder.path,
        name: basename(folder.path),
        state: folder.paused ? 'paused' : state.kind,
        polling: state.kind === 'watching' && state.polling,
        waiting,
        settling: watcher?.settling ?? 0,
        skipped: watcher?.skipped ?? 0,
        lastUploadAt: this.#lastUpload.get(folder.id) ?? null,
      };
    });
  }

  /** Resolves when every folder has read what is already in it (and queued what was complete). */
  async caughtUp(): Promise<void> {
    await Promise.all(
      [...this.#watching.values()].map(({ watcher }) =>
        watcher && watcher.state.kind === 'starting'
          ? new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
          : undefined,
      ),
    );
  }

  /** Waits for files found so far to be in the queue. */
  async flushed(): Promise<void> {
    if (this.#batch.length > 0) {
      clearTimeout(this.#batchTimer);
      this.#flush();
    }
    await this.#flushing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
    for (const { watcher } of this.#watching.values()) await watcher?.close();
    this.#watching.clear();
    await this.flushed();
  }

  #offer(folder: WatchedFolder, file: SettledFile): void {
    this.#batch.push({ folder, file });
    if (this.#batchTimer === undefined) {
      this.#batchTimer = setTimeout(() => this.#flush(), BATCH_MS);
    }
  }

  #flush(): void {
    this.#batchTimer = undefined;
    const batch = this.#batch;
    this.#batch = [];
    this.#flushing = this.#flushing.then(() => this.#queue(batch)).catch(() => undefined);
  }

  /** Queues what is new or changed since the folder last queued it, each folder's batch in one go. */
  async #queue(batch: readonly { folder: WatchedFolder; file: SettledFile }[]): Promise<void> {
    const byFolder = new Map<string, { folder: WatchedFolder; files: FileToAdd[]; seen: SettledFile[] }>();
    // Typed by their first bytes a few dozen at a time, not one after another.
    const types = new Map<string, FileToAdd>();
    for (let start = 0; start < batch.length; start += 64) {
      const slice = batch.slice(start, start + 64);
      // The name's bytes go into the metadata below, not with the file.
      const files = slice.map(({ file }) => ({
        path: file.path,
        relativePath: file.relativePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
      }));
      for (const typed of await Promise.all(files.map((file) => identify(file)))) types.set(typed.path, typed);
    }
    for (const { folder, file } of batch) {
      const seen = this.#seen.get(folder.id) ?? new Map<string, { size: number; mtimeMs: number }>();
      this.#seen.set(folder.id, seen);
      const before = seen.get(file.relativePath);
      if (before && before.size === file.size && before.mtimeMs === file.mtimeMs) continue;
      seen.set(file.relativePath, { size: file.size, mtimeMs: file.mtimeMs });
      // A new version where the old one still stands finished in the list: the old row goes.
      const old = await this.#engine.itemAt(file.path);
      if (old && !WAITING.has(old.status.kind)) await this.#engine.remove([old.id]);
      const entry = byFolder.get(folder.id) ?? { folder, files: [], seen: [] };
      entry.files.push(
        fileToAdd({ ...types.get(file.path)!, watchFolder: folder.path }, folder.metadataTemplate, {
          addedAt: this.#now(),
          nameBytes: file.nameBytes,
        }),
      );
      entry.seen.push(file);
      byFolder.set(folder.id, entry);
    }
    for (const { folder, files, seen } of byFolder.values()) {
      if (this.#closed && files.length === 0) continue;
      const added = await this.#engine.add(files, { ...(folder.index && { index: folder.index }) });
      // The ids the engine gave these paths (a path already waiting in the list keeps its row).
      const ids = new Map(added.alreadyListed.map(({ path, id }) => [path, id]));
      for (const id of added.ids) {
        const path = (await this.#engine.item(id))?.path;
        if (path !== undefined) ids.set(path, id);
      }
      const mine = this.#items.get(folder.id) ?? new Set<string>();
      const noted = seen.map((file) => {
        const itemId = ids.get(file.path) ?? null;
        if (itemId) mine.add(itemId);
        return { relativePath: file.relativePath, size: file.size, mtimeMs: file.mtimeMs, itemId };
      });
      this.#items.set(folder.id, mine);
      await this.#journal.noteWatchSeen(folder.id, noted, this.#now());
    }
    this.emit('change');
  }
}
