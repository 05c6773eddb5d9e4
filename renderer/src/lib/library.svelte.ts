import {
  DEFAULT_LIBRARY_QUERY,
  patchList,
  type ExportFormat,
  type LibraryAsset,
  type LibraryChanged,
  type LibraryDetail,
  type LibraryQuery,
  type LibrarySync,
  type MetadataMode,
} from '../../../electron/shared/library';
import type { MetadataValue } from '../../../electron/shared/metadata';
import type { Result } from '../../../electron/shared/result';
import { api } from './bridge';

/** How long typing pauses before the search runs: fast enough to feel live, not once per key. */
const SEARCH_DELAY_MS = 150;
/** After a full refresh the list is read again once, however many refreshes end within this long. */
const RELOAD_DELAY_MS = 250;

/**
 * The Library as the window shows it: a query over the local copy in main (instant, and offline),
 * patched with what main says changed (read again only after a full refresh), with a selection
 * and one open asset.
 */
export class LibraryModel {
  #query = $state.raw<LibraryQuery>(DEFAULT_LIBRARY_QUERY);
  #assets = $state.raw<readonly LibraryAsset[]>([]);
  #sync = $state.raw<LibrarySync>({ syncing: false, syncedAt: null, offline: false, total: 0 });
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #detail = $state.raw<LibraryDetail | null>(null);
  #loaded = $state(false);
  message = $state<string | null>(null);
  view = $state<'grid' | 'list'>('grid');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Answers to older queries that arrive late are dropped. */
  #generation = 0;
  #loading = false;
  #unsaved: (() => boolean) | null = null;
  #leaving = $state<{ readonly to: string | null } | null>(null);
  /** Changes that arrived while a list was on its way. */
  readonly #missed: LibraryChanged[] = [];

  get query(): LibraryQuery {
    return this.#query;
  }

  get assets(): readonly LibraryAsset[] {
    return this.#assets;
  }

  get sync(): LibrarySync {
    return this.#sync;
  }

  get selected(): ReadonlySet<string> {
    return this.#selected;
  }

  get detail(): LibraryDetail | null {
    return this.#detail;
  }

  /** False until the first answer, so "empty" is never shown for a library that is still loading. */
  get loaded(): boolean {
    return this.#loaded;
  }

  start(): () => void {
    const stop = api.onLibraryChanged((change) => {
      this.#sync = change.sync;
      // A list on its way may have been read before this change: it is applied to that list too.
      if (this.#loading) this.#missed.push(change);
      if (this.#loaded) this.#apply(change);
    });
    void this.load();
    return () => {
      stop();
      clearTimeout(this.#reloadTimer);
    };
  }

  /** Changes the query; search text waits for a pause in typing, the rest applies at once. */
  setQuery(patch: Partial<LibraryQuery>): void {
    this.#query = { ...this.#query, ...patch };
    clearTimeout(this.#timer);
    if ('search' in patch) this.#timer = setTimeout(() => void this.load(), SEARCH_DELAY_MS);
    else void this.load();
  }

  async load(options?: { askServer: boolean }): Promise<void> {
    const generation = ++this.#generation;
    this.#loading = true;
    const result = await api.libraryList(this.#query, options);
    if (generation !== this.#generation) return;
    this.#loading = false;
    this.#loaded = true;
    const missed = this.#missed.splice(0);
    if (!result.ok) {
      this.message = result.message;
      return;
    }
    this.#assets = result.value.assets;
    this.#sync = result.value.sync;
    this.#keepSelected();
    for (const change of missed) this.#apply(change);
  }

  /** A change patched into the list; after a full refresh, the list is read again instead. */
  #apply(change: LibraryChanged): void {
    const patched = patchList(this.#assets, change, this.#query);
    if (!patched) {
      this.#reloadTimer ??= setTimeout(() => {
        this.#reloadTimer = undefined;
        void this.load({ askServer: false });
      }, RELOAD_DELAY_MS);
      return;
    }
    this.#assets = patched;
    this.#keepSelected();
    const open = this.#detail?.asset.id;
    const fresh = open === undefined ? undefined : change.assets.find((asset) => asset.id === open);
    if (this.#detail && fresh) this.#detail = { ...this.#detail, asset: fresh, stale: false };
    if (open !== undefined && change.removed.includes(open)) this.#detail = null;
  }

  /** The selection keeps only what is still there (a deleted asset is no longer selectable). */
  #keepSelected(): void {
    const present = new Set(this.#assets.map((asset) => asset.id));
    if ([...this.#selected].some((id) => !present.has(id))) {
      this.#selected = new Set([...this.#selected].filter((id) => present.has(id)));
    }
  }

  refresh(): void {
    void api.libraryRefresh();
  }

  toggle(id: string): void {
    const next = new Set(this.#selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.#selected = next;
  }

  select(ids: readonly string[]): void {
    this.#selected = new Set(ids);
  }

  /**
   * The open asset's editor says here whether it holds edits not yet saved; opening another asset
   * or closing the details then waits for the person to keep editing or discard them.
   */
  guardUnsaved(unsaved: () => boolean): () => void {
    this.#unsaved = unsaved;
    return () => {
      if (this.#unsaved === unsaved) this.#unsaved = null;
    };
  }

  /** Where the person wanted to go while edits were unsaved: another asset, or nowhere (close). */
  get leaving(): { readonly to: string | null } | null {
    return this.#leaving;
  }

  keepEditing(): void {
    this.#leaving = null;
  }

  /** Drops the unsaved edits and goes where the person wanted to. */
  async discardAndLeave(): Promise<void> {
    const leaving = this.#leaving;
    this.#leaving = null;
    this.#unsaved = null;
    if (!leaving) return;
    if (leaving.to === null) this.#detail = null;
    else await this.#show(leaving.to);
  }

  async open(id: string): Promise<void> {
    if (this.#detail?.asset.id === id) return;
    if (this.#detail && this.#unsaved?.()) {
      this.#leaving = { to: id };
      return;
    }
    await this.#show(id);
  }

  async #show(id: string): Promise<void> {
    const result = await api.libraryDetail(id);
    if (result.ok) this.#detail = result.value;
    else {
      this.#detail = null;
      this.message = result.message;
    }
  }

  close(): void {
    if (this.#unsaved?.()) {
      this.#leaving = { to: null };
      return;
    }
    this.#detail = null;
  }

  async updateMetadata(
    id: string,
    mode: MetadataMode,
    values: Record<string, MetadataValue | null>,
  ): Promise<Result<LibraryAsset>> {
    const result = await api.libraryUpdateMetadata(id, mode, values);
    if (result.ok && this.#detail?.asset.id === id)
      this.#detail = { ...this.#detail, asset: result.value, stale: false };
    return result;
  }

  async setKey(key: string, value: MetadataValue | null): Promise<void> {
    const result = await api.librarySetKey([...this.#selected], key, value);
    if (!result.ok) this.message = result.message;
    else {
      const { changed, failed } = result.value;
      this.message =
        `${value === null ? 'Removed' : 'Set'} “${key}” on ${changed.toLocaleString()} ${changed === 1 ? 'asset' : 'assets'}.` +
        (failed.length > 0 ? ` ${failed.length} could not be changed: ${failed[0]!.message}` : '');
    }
  }

  /** Deletes; answers with the ids an index still uses (not deleted unless `force`). */
  async delete(ids: readonly string[], force: boolean): Promise<Result<{ deleted: string[]; inUse: string[] }>> {
    const result = await api.libraryDelete([...ids], force);
    if (result.ok) {
      const { deleted } = result.value;
      if (this.#detail && deleted.includes(this.#detail.asset.id)) this.#detail = null;
      if (deleted.length > 0) {
        this.message = `Deleted ${deleted.length.toLocaleString()} ${deleted.length === 1 ? 'asset' : 'assets'}.`;
      }
    } else this.message = result.message;
    return result;
  }

  async export(format: ExportFormat): Promise<void> {
    const result = await api.libraryExport([...this.#selected], format);
    if (!result.ok) this.message = result.message;
    else if (result.value) {
      this.message = `Exported ${result.value.count.toLocaleString()} assets to ${result.value.path}.`;
    }
  }

  async revealSource(id: string): Promise<void> {
    const result = await api.libraryRevealSource(id);
    if (!result.ok) this.message = result.message;
  }

  /** Puts a short text (an asset ID, a source link) on the clipboard; true when it is there. */
  async copy(text: string): Promise<boolean> {
    return (await api.appCopyText(text)).ok;
  }
}
