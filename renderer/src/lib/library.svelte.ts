import {
  DEFAULT_LIBRARY_QUERY,
  LIBRARY_PAGE,
  patchList,
  type ExportFormat,
  type LibraryAsset,
  type LibraryChanged,
  type LibraryDetail,
  type LibraryQuery,
  type LibrarySync,
  type MetadataMode,
} from '../../../electron/shared/library';
import type { IndexChoice } from '../../../electron/shared/indexes';
import type { MetadataValue } from '../../../electron/shared/metadata';
import type { Result } from '../../../electron/shared/result';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';
import { CONFIRMATION_MS } from './uploads.svelte';
import { idsBetween } from './keyboard';
import { counted, m } from '../../../electron/shared/i18n';

/** How long typing pauses before the search runs: fast enough to feel live, not once per key. */
const SEARCH_DELAY_MS = 150;
/** After a full refresh the list is read again once, however many refreshes end within this long. */
const RELOAD_DELAY_MS = 250;

/** Where the chosen list columns are remembered on this computer. */
const COLUMNS_KEY = 'library.columns';

function savedColumns(): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(COLUMNS_KEY) ?? '[]');
    return Array.isArray(saved) ? saved.filter((key): key is string => typeof key === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The Library as the window shows it: a query over the local copy in main (instant, and offline),
 * read a page at a time as the person scrolls, patched with what main says changed, with a
 * selection (which may hold more than is loaded) and one open asset.
 */
export class LibraryModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #query = $state.raw<LibraryQuery>(DEFAULT_LIBRARY_QUERY);
  /** The first pages of the answer, as far as the person has scrolled. */
  #assets = $state.raw<readonly LibraryAsset[]>([]);
  /** How many assets match the query in all. */
  #matched = $state(0);
  #columns = $state.raw<readonly string[]>(savedColumns());
  #loadingMore = false;
  #sync = $state.raw<LibrarySync>({
    syncing: false,
    syncedAt: null,
    offline: false,
    problem: null,
    total: 0,
    indexes: [],
  });
  #selected = $state.raw<ReadonlySet<string>>(new Set());
  #detail = $state.raw<LibraryDetail | null>(null);
  #loaded = $state(false);
  message = $state<string | null>(null);
  #fading: ReturnType<typeof setTimeout> | undefined;
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

  /** How many assets match the query, loaded or not. */
  get matched(): number {
    return this.#matched;
  }

  /** Metadata keys shown as columns in the list view. */
  get columns(): readonly string[] {
    return this.#columns;
  }

  set columns(keys: readonly string[]) {
    this.#columns = keys;
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(keys));
  }

  /** Every metadata key in the library, for choosing columns. */
  async keys(): Promise<readonly string[]> {
    const result = await this.#api.libraryKeys();
    return result.ok ? result.value : [];
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

  /** A confirmation ("Deleted poster.jpg from your library."): said, then gone, never stale. */
  #confirm(text: string): void {
    this.message = text;
    clearTimeout(this.#fading);
    this.#fading = setTimeout(() => {
      if (this.message === text) this.message = null;
    }, CONFIRMATION_MS);
  }

  start(): () => void {
    const stop = this.#api.onLibraryChanged((change) => {
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

  /** Reads the answer again from its start, as far as was loaded before (so the place in it stays). */
  async load(options?: { askServer: boolean }): Promise<void> {
    const generation = ++this.#generation;
    this.#loading = true;
    const limit = Math.min(10_000, Math.max(LIBRARY_PAGE, this.#assets.length));
    const result = await this.#api.libraryList(this.#query, { ...options, offset: 0, limit });
    if (generation !== this.#generation) return;
    this.#loading = false;
    this.#loaded = true;
    const missed = this.#missed.splice(0);
    if (!result.ok) {
      this.message = result.message;
      return;
    }
    this.#assets = result.value.assets;
    this.#matched = result.value.matched;
    this.#sync = result.value.sync;
    for (const change of missed) this.#apply(change);
    await this.#keepMatching(generation);
  }

  /**
   * After a new read the selection keeps only assets the query matches, so an action never
   * reaches an asset the search hides ("100,000 selected" under a filter of 6 would delete them
   * all). With part of a long answer loaded, main says which ids match.
   */
  async #keepMatching(generation: number): Promise<void> {
    if (this.#complete || this.#selected.size === 0) {
      this.#keepSelected();
      return;
    }
    const result = await this.#api.libraryIds(this.#query);
    if (generation !== this.#generation || !result.ok) return;
    const matching = new Set(result.value);
    if ([...this.#selected].some((id) => !matching.has(id)))
      this.#selected = new Set([...this.#selected].filter((id) => matching.has(id)));
  }

  /** The next page, when the person has scrolled near the end of what is loaded. */
  async loadMore(): Promise<void> {
    if (this.#loadingMore || this.#loading || this.#assets.length >= this.#matched) return;
    this.#loadingMore = true;
    const generation = this.#generation;
    const result = await this.#api.libraryList(this.#query, {
      askServer: false,
      offset: this.#assets.length,
      limit: LIBRARY_PAGE,
    });
    this.#loadingMore = false;
    if (generation !== this.#generation || !result.ok) return;
    const have = new Set(this.#assets.map((asset) => asset.id));
    this.#assets = [...this.#assets, ...result.value.assets.filter((asset) => !have.has(asset.id))];
    this.#matched = result.value.matched;
  }

  /** Everything loaded: a change can be patched in and the count kept without asking main. */
  get #complete(): boolean {
    return this.#assets.length >= this.#matched;
  }

  /** A change patched into the list; after a full refresh, the list is read again instead. */
  #apply(change: LibraryChanged): void {
    if (change.removed.length > 0) {
      const gone = new Set(change.removed);
      if ([...this.#selected].some((id) => gone.has(id)))
        this.#selected = new Set([...this.#selected].filter((id) => !gone.has(id)));
    }
    // Part of a long answer loaded: where a change lands beyond it, and the count, only main knows.
    const touched = change.assets.length > 0 || change.removed.length > 0;
    const patched = this.#complete || !touched ? patchList(this.#assets, change, this.#query) : null;
    if (!patched) {
      this.#reloadTimer ??= setTimeout(() => {
        this.#reloadTimer = undefined;
        void this.load({ askServer: false });
      }, RELOAD_DELAY_MS);
      return;
    }
    // Only a complete list is patched with changes, so its length is the count.
    if (this.#complete) this.#matched = patched.length;
    this.#assets = patched;
    this.#keepSelected();
    const open = this.#detail?.asset.id;
    const fresh = open === undefined ? undefined : change.assets.find((asset) => asset.id === open);
    if (this.#detail && fresh) this.#detail = { ...this.#detail, asset: fresh, stale: false };
    if (open !== undefined && change.removed.includes(open)) this.#detail = null;
  }

  /**
   * The selection keeps only what is still there (a deleted asset is no longer selectable); with
   * part of a long answer loaded, a change cannot say, and `#keepMatching` asks after the re-read.
   */
  #keepSelected(): void {
    if (!this.#complete) return;
    const present = new Set(this.#assets.map((asset) => asset.id));
    if ([...this.#selected].some((id) => !present.has(id))) {
      this.#selected = new Set([...this.#selected].filter((id) => present.has(id)));
    }
  }

  refresh(): void {
    void this.#api.libraryRefresh();
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

  get count(): number {
    return this.#selected.size;
  }

  /** Picks the loaded assets from row `from` to row `to` as well (a Shift range). */
  addRange(from: number, to: number): void {
    this.#selected = new Set([...this.#selected, ...idsBetween(this.#assets, from, to)]);
  }

  /** Selects every asset the query matches, loaded or not. */
  async selectAll(): Promise<void> {
    const result = this.#complete ? null : await this.#api.libraryIds(this.#query);
    if (result && !result.ok) this.message = result.message;
    else this.#selected = new Set(result ? result.value : this.#assets.map((asset) => asset.id));
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
    const result = await this.#api.libraryDetail(id);
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
    const result = await this.#api.libraryUpdateMetadata(id, mode, values);
    if (result.ok && this.#detail?.asset.id === id)
      this.#detail = { ...this.#detail, asset: result.value, stale: false };
    return result;
  }

  async setKey(key: string, value: MetadataValue | null): Promise<void> {
    const result = await this.#api.librarySetKey([...this.#selected], key, value);
    if (!result.ok) this.message = result.message;
    else {
      const { changed, failed } = result.value;
      const done = (value === null ? m.library_removed_key : m.library_set_key)({ key, ...counted(changed) });
      this.message =
        failed.length > 0
          ? `${done} ${m.library_not_changed({ ...counted(failed.length), reason: failed[0]!.message })}`
          : done;
    }
  }

  /**
   * Puts the selected assets into an index (ready videos, each once), and says what happened in
   * the bar's message.
   */
  async addToIndex(index: IndexChoice): Promise<boolean> {
    const result = await this.#api.libraryAddToIndex([...this.#selected], index);
    if (!result.ok) {
      this.message = result.message;
      return false;
    }
    const { sent, alreadyThere, notIndexable, failed } = result.value;
    this.message = m.sentence_end({
      text: [
        sent > 0
          ? m.library_sent_to_index({ ...counted(sent), index: index.name })
          : m.library_none_sent({ index: index.name }),
        alreadyThere > 0 && m.library_there_already(counted(alreadyThere)),
        notIndexable > 0 && m.library_not_ready_videos(counted(notIndexable)),
        failed.length > 0 && m.library_not_sent({ ...counted(failed.length), reason: failed[0]!.message }),
      ]
        .filter((part) => part !== false)
        .join(m.sentence_separator()),
    });
    return true;
  }

  /** Deletes; answers with the ids an index still uses (not deleted unless `force`), and those indexes. */
  async delete(
    ids: readonly string[],
    force: boolean,
  ): Promise<Result<{ deleted: string[]; inUse: string[]; indexes: string[] }>> {
    // Named before it goes: the change that removes it from the list may arrive first.
    const name = ids.length === 1 ? this.#assets.find((asset) => asset.id === ids[0])?.filename : undefined;
    const result = await this.#api.libraryDelete([...ids], force);
    if (result.ok) {
      const { deleted } = result.value;
      if (this.#detail && deleted.includes(this.#detail.asset.id)) this.#detail = null;
      if (deleted.length > 0) {
        this.#confirm(name ? m.library_deleted_name({ name }) : m.library_deleted_count(counted(deleted.length)));
      }
    } else this.message = result.message;
    return result;
  }

  /** Exports the selection, or with `matching`, every asset the query matches. */
  async export(format: ExportFormat, matching = false): Promise<void> {
    const result = await this.#api.libraryExport(matching ? this.#query : [...this.#selected], format);
    if (!result.ok) this.message = result.message;
    else if (result.value) {
      this.#confirm(m.library_exported({ ...counted(result.value.count), path: result.value.path }));
    }
  }

  async revealSource(id: string): Promise<void> {
    const result = await this.#api.libraryRevealSource(id);
    if (!result.ok) this.message = result.message;
  }

  /** Puts a short text (an asset ID, a source link) on the clipboard; true when it is there. */
  async copy(text: string): Promise<boolean> {
    return (await this.#api.appCopyText(text)).ok;
  }
}
