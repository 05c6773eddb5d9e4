import { isIndexable, type IndexChoice } from '../../shared/indexes';
import { networkProblemWords } from '../../shared/network';
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import {
  CHANGES_SENT,
  exportAssets,
  type ExportFormat,
  type LibraryAsset,
  type LibraryChanged,
  type LibraryDetail,
  type LibraryListOptions,
  type LibraryPage,
  type LibraryQuery,
  type LibrarySync,
  type LocalSource,
  type MetadataMode,
  type AddedToIndex,
} from '../../shared/library';
import { CONTENT_HASH_KEY, RESERVED_KEYS, type MetadataValue } from '../../shared/metadata';
import { isCatalogued } from '../../shared/error-catalogue';
import { fail, ok, type Failure, type Result } from '../../shared/result';
import type { MediaKind } from '../../shared/uploads';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { describeFailure } from '../upload/failure';
import type { WireAssetDetail } from '../api/types';
import { liveJob, liveJobs } from '../api/indexes';
import type { CopyChanges, LibraryCache, Memberships } from './library-cache';
import { parseSearch } from '../../shared/library-search';
import type { Journal } from '../upload/journal';
import type { ConnectionGate, GateState } from '../api/gate';
import type { CsvStyle } from '../../shared/csv';
import { m } from '../../shared/i18n';

/** The page size ceiling of `GET /assets`: the fewest requests for a full read. */
const PAGE_LIMIT = 50;
/** Pages of indexes read at most: as many as the index picker lists. */
const MAX_INDEX_PAGES = 20;
/** A read that cannot get through in this long (offline, held back by a rate limit) gives up. */
const READ_TIMEOUT_MS = 30_000;

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function kindOf(fileType: string): MediaKind {
  const [family] = fileType.split('/');
  if (family === 'audio' || family === 'image') return family;
  return family === 'text' || fileType === 'application/pdf' ? 'document' : 'video';
}

/** An asset as the API sends it, as the Library keeps it. */
export function libraryAsset(wire: WireAssetDetail): LibraryAsset {
  const technical = wire.technical_metadata ?? {};
  return {
    id: wire._id,
    filename: wire.filename,
    kind: kindOf(wire.file_type),
    status: wire.status,
    size: numberOr(wire.size) ?? numberOr(technical.file_size_bytes),
    durationSeconds: numberOr(wire.duration) ?? numberOr(technical.video_duration_seconds),
    width: numberOr(technical.video_width) ?? numberOr(technical.image_width),
    height: numberOr(technical.video_height) ?? numberOr(technical.image_height),
    createdAt: Date.parse(wire.created_at),
    thumbnailUrl: wire.thumbnail?.status === 'ready' ? (wire.thumbnail.representative_url ?? null) : null,
    hlsUrl: wire.hls?.status === 'ready' ? (wire.hls.manifest_url ?? null) : null,
    error: wire.error?.message ?? null,
    metadata: wire.user_metadata ?? {},
    // An asset's own answer does not say; the copy keeps what the indexes' lists said.
    indexes: [],
  };
}

const reserved = (key: string) =>
  fail(
    'reserved_key',
    key === CONTENT_HASH_KEY
      ? `“${key}” is the file's fingerprint, which finds copies of it; it cannot be changed or removed.`
      : `“${key}” says which original this upload copy was made from; it cannot be changed or removed.`,
  );

/** Changes need TwelveLabs; looking does not (said in the language of the moment). */
const offline = () => fail('offline', m.library_offline_look());

/** A failed request, as a result the window can show: looking needs no network, changes do. */
function failure(error: unknown): Failure {
  if (error instanceof ApiError && error.kind === 'aborted') return offline();
  const { code, words, detail } = describeFailure(error);
  if (code === 'network') return offline();
  return fail(isCatalogued(code) ? code : 'unknown', [words, detail].filter(Boolean).join(' '));
}

export interface LibraryOptions {
  readonly cache: LibraryCache;
  readonly client: ApiClient;
  readonly gate: ConnectionGate;
  /** Links assets back to the queue items they were uploaded from. */
  readonly journal: Journal;
  readonly now?: () => number;
}

/**
 * The library behind the Library screen: read from the local cache (instant, offline, searchable
 * by metadata) and kept fresh from TwelveLabs in the background; every change is made on
 * TwelveLabs first and then reflected in the cache. Emits `changed` with what changed in the cache.
 */
export class Library extends EventEmitter<{ changed: [LibraryChanged] }> {
  readonly #options: LibraryOptions;
  readonly #now: () => number;
  #syncing: Promise<void> | null = null;
  #offline = false;
  /** Why the last read could not be made, in words. */
  #problem: string | null = null;
  /** Aborted on close, so no request outlives the cache it would write to. */
  readonly #closing = new AbortController();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: LibraryOptions) {
    super();
    this.#options = options;
    this.#now = options.now ?? Date.now;
    options.gate.on('change', this.#onGate);
  }

  /** Back online after a read could not be made: the library is read again without anyone asking. */
  readonly #onGate = (state: GateState): void => {
    if (state.kind === 'online' && this.#problem !== null) {
      void this.refresh().catch(() => undefined);
    }
  };

  async sync(): Promise<LibrarySync> {
    const { cache } = this.#options;
    return {
      syncing: this.#syncing !== null,
      syncedAt: await cache.syncedAt(),
      offline: this.#offline,
      problem: this.#problem,
      total: await cache.count(),
      indexes: await cache.indexes(),
    };
  }

  /**
   * What the screen shows for a query, from the cache, at once. A name search also asks
   * TwelveLabs (when it can be reached), so an asset added since the last full read is found too:
   * what it adds lands in the cache and `changed` brings it to the screen. A list read again
   * after a full refresh does not ask (`askServer: false`): the refresh has just read everything.
   */
  async page(query: LibraryQuery, options: LibraryListOptions = {}): Promise<LibraryPage> {
    const { cache } = this.#options;
    // TwelveLabs can look for a file name only: its words, when the search is nothing but words.
    const terms = parseSearch(query.search);
    const words = terms.every((term) => term.kind === 'text' && !term.negate)
      ? terms.map((term) => term.value).join(' ')
      : '';
    const ask = (options.askServer ?? true) && words !== '' && !this.#blocked() && !this.#offline;
    if (ask) this.#track(this.#searchServer(words));
    const { offset = 0, limit } = options;
    const [assets, matched, sync] = await Promise.all([
      cache.query(query, limit === undefined ? undefined : { offset, limit }),
      cache.countMatching(query),
      this.sync(),
    ]);
    return { assets, matched, sync };
  }

  /** Every metadata key the library uses but the content fingerprint, by name. */
  async keys(): Promise<string[]> {
    return (await this.#options.cache.keys()).filter((key) => !RESERVED_KEYS.includes(key));
  }

  /** The ids of every asset matching a query, in its order. */
  ids(query: LibraryQuery): Promise<string[]> {
    return this.#options.cache.ids(query);
  }

  async #searchServer(filename: string): Promise<void> {
    const { client, cache } = this.#options;
    try {
      const found = await client.listAssets({ filename, pageLimit: PAGE_LIMIT }, this.#signal());
      const known = new Set((await cache.getMany(found.data.map((asset) => asset._id))).map((asset) => asset.id));
      const fresh = found.data.filter((asset) => !known.has(asset._id)).map(libraryAsset);
      if (fresh.length === 0) return;
      this.#announce({ assets: await cache.upsert(fresh) });
    } catch {
      // The cache has answered already; a failed extra look changes nothing on screen.
    }
  }

  /**
   * Reads the whole library from TwelveLabs, page by page, newest first, and replaces the cache
   * with it. One refresh at a time: a second call joins the one running.
   */
  refresh(): Promise<void> {
    if (this.#closing.signal.aborted) return Promise.resolve();
    this.#syncing ??= this.#readAll().then(
      (changes) => {
        this.#syncing = null;
        // Only what the read changed goes to the screen; with nothing changed, just the sync state;
        // with a great deal changed, the word to read the list again rather than all of it.
        if (!changes) this.#announce({});
        else if (changes.changed.length + changes.removed.length > CHANGES_SENT) this.#announce({ reset: true });
        else this.#announce({ assets: changes.changed, removed: changes.removed });
      },
      (error: unknown) => {
        this.#syncing = null;
        this.#problem = failure(error).message;
        this.#announce({});
        throw error;
      },
    );
    this.#announce({});
    return this.#syncing;
  }

  /**
   * Whether a request can go now. The engine's requests wait at the gate through an outage; the
   * Library's do not: someone is looking at the screen, so it answers from the cache at once.
   */
  #blocked(): Failure | null {
    const state = this.#options.gate.state;
    const { kind } = state;
    if (kind === 'offline') return offline();
    // Not offline: what stands in the way is said, in the same words as everywhere else.
    if (kind === 'blocked') {
      const words = networkProblemWords(state.problem);
      return fail('offline', `${words.label}. ${words.detail} Until then the library can only be looked at.`);
    }
    if (kind === 'key-rejected') return fail('api_key_invalid', m.held_key_detail());
    return null;
  }

  async #readAll(): Promise<CopyChanges | null> {
    const { client, cache } = this.#options;
    const blocked = this.#blocked();
    if (blocked) {
      this.#offline = ['offline', 'blocked'].includes(this.#options.gate.state.kind);
      this.#problem = blocked.message;
      // Someone asked to read it: the connection is looked at now, not at the end of its wait.
      this.#options.gate.retryNow();
      return null;
    }
    const startedAt = this.#now();
    const assets: LibraryAsset[] = [];
    try {
      for (let page = 1; ; page += 1) {
        const result = await client.listAssets({ page, pageLimit: PAGE_LIMIT }, this.#signal());
        assets.push(...result.data.map(libraryAsset));
        if (result.data.length === 0 || page >= result.pageInfo.total_page) break;
      }
      const changes = await cache.replaceAll(assets, startedAt, await this.#readMemberships());
      this.#offline = false;
      this.#problem = null;
      return changes;
    } catch (error) {
      if (!(error instanceof ApiError) || error.kind === 'http') throw error;
      this.#offline = true;
      // A read held back past its time by a rate limit is not "offline".
      this.#problem =
        this.#blocked()?.message ??
        (this.#options.gate.state.kind === 'rate-limited' ? m.library_slowed() : m.library_offline_look());
      return null;
    }
  }

  /**
   * Which indexes hold each asset, from every index's list of its jobs (a failed job does not
   * count): one request per 50 assets of an index. Null when they could not all be read: the
   * copy then keeps what it knew rather than showing assets in no index.
   */
  async #readMemberships(): Promise<Memberships | null> {
    const { client } = this.#options;
    const found = new Map<string, IndexChoice[]>();
    try {
      for (let page = 1; page <= MAX_INDEX_PAGES; page += 1) {
        const indexes = await client.listIndexes(page, PAGE_LIMIT, this.#signal());
        for (const index of indexes.data) {
          for (let jobs = 1; ; jobs += 1) {
            const result = await client.listIndexedAssets(
              index._id,
              { statuses: ['pending', 'queued', 'indexing', 'ready'], page: jobs, pageLimit: PAGE_LIMIT },
              this.#signal(),
            );
            for (const job of result.data) {
              if (!job.asset_id) continue;
              const held = found.get(job.asset_id) ?? [];
              if (!held.some((entry) => entry.id === index._id)) held.push({ id: index._id, name: index.index_name });
              found.set(job.asset_id, held);
            }
            if (result.data.length < PAGE_LIMIT || jobs >= result.pageInfo.total_page) break;
          }
        }
        if (indexes.data.length < PAGE_LIMIT || page >= indexes.pageInfo.total_page) break;
      }
      return found;
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'http') return null;
      throw error;
    }
  }

  /** An upload went into an index: the copy and the screen know it without another read. */
  noteIndexed(assetId: string, index: IndexChoice): void {
    if (this.#closing.signal.aborted) return;
    this.#track(
      this.#setIndexes(assetId, (held) =>
        held.some((entry) => entry.id === index.id) ? held : [...held, index],
      ).catch(() => undefined),
    );
  }

  /** Which indexes hold an asset (see `LibraryCache.setIndexes`), in the copy and on screen. */
  async #setIndexes(assetId: string, next: (held: readonly IndexChoice[]) => readonly IndexChoice[]): Promise<void> {
    const asset = await this.#options.cache.setIndexes(assetId, next);
    if (asset) this.#announce({ assets: [asset] });
  }

  /** The file on this computer an asset was uploaded from, while its queue item is kept. */
  async source(id: string): Promise<LocalSource | null> {
    return (await this.#options.journal.itemForAsset(id)) ?? null;
  }

  /** Fresh facts for one asset (the cache's when offline), with the file it came from here. */
  async detail(id: string): Promise<Result<LibraryDetail>> {
    const { client, cache } = this.#options;
    const source = await this.source(id);
    try {
      const blocked = this.#blocked();
      if (blocked) throw new ApiError('network', blocked.message);
      const wire = await client.getAsset(id, this.#signal());
      const [asset] = await cache.upsert([libraryAsset(wire)]);
      if (!asset) throw new Error('The library copy did not keep the asset.');
      this.#announce({ assets: [asset] });
      // Only what an index takes can be in one: the others are not asked about, nor shown a line.
      const held = isIndexable(asset.kind) ? await liveJobs(client, id, this.#signal()).catch(() => null) : null;
      if (held) await this.#setIndexes(id, () => held.map((job) => job.index));
      const indexes = held && held.map((job) => job.index.name).sort((a, b) => a.localeCompare(b));
      return ok({
        asset,
        source,
        stale: false,
        pages: numberOr(wire.technical_metadata?.document_page_count),
        indexes,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        await cache.remove([id]);
        this.#announce({ removed: [id] });
        return fail('resource_not_exist', m.library_asset_gone());
      }
      const cached = await cache.get(id);
      if (!cached) return failure(error);
      return ok({ asset: cached, source, stale: true, pages: null, indexes: null });
    }
  }

  /**
   * Changes one asset's metadata the way the person chose: merge (keys set to null are removed),
   * replace everything, or clear everything. Answers with the asset as TwelveLabs now has it.
   */
  async updateMetadata(
    id: string,
    mode: MetadataMode,
    values: Readonly<Record<string, MetadataValue | null>>,
  ): Promise<Result<LibraryAsset>> {
    const { client, cache } = this.#options;
    const blocked = this.#blocked();
    if (blocked) return blocked;
    // The content fingerprint is how the same file is recognised later, here and on other
    // machines, and an upload copy names its original: no edit may change or drop those, and
    // replacing or clearing keeps them.
    const touched = RESERVED_KEYS.find((key) => Object.hasOwn(values, key));
    if (touched) return reserved(touched);
    const stored = (await cache.get(id))?.metadata ?? {};
    const kept: Record<string, MetadataValue> = Object.fromEntries(
      RESERVED_KEYS.flatMap((key) => (stored[key] === undefined ? [] : [[key, stored[key]]])),
    );
    try {
      if (mode === 'clear') {
        if (Object.keys(kept).length === 0) await client.clearMetadata(id);
        else await client.replaceMetadata(id, kept);
      } else if (mode === 'replace') {
        await client.replaceMetadata(id, {
          ...Object.fromEntries(
            Object.entries(values).filter((entry): entry is [string, MetadataValue] => entry[1] !== null),
          ),
          ...kept,
        });
      } else await client.updateMetadata(id, values);
      return ok(await this.#reload(id));
    } catch (error) {
      return failure(error);
    }
  }

  /** Sets (or with null, removes) one key on many assets; says which could not be changed. */
  async setKey(
    ids: readonly string[],
    key: string,
    value: MetadataValue | null,
  ): Promise<Result<{ changed: number; failed: { id: string; message: string }[] }>> {
    if (RESERVED_KEYS.includes(key)) return reserved(key);
    const failed: { id: string; message: string }[] = [];
    for (const id of ids) {
      const result = await this.updateMetadata(id, 'merge', { [key]: value });
      if (!result.ok) {
        if (result.code === 'offline') return result;
        failed.push({ id, message: result.message });
      }
    }
    return ok({ changed: ids.length - failed.length, failed });
  }

  /**
   * Deletes assets. One used by an index is not deleted unless `force`: it is reported back, so
   * the person can decide to delete it anyway.
   */
  async delete(
    ids: readonly string[],
    force: boolean,
  ): Promise<Result<{ deleted: string[]; inUse: string[]; indexes: string[] }>> {
    const { client } = this.#options;
    const blocked = this.#blocked();
    if (blocked) return blocked;
    const deleted: string[] = [];
    const inUse: string[] = [];
    for (const id of ids) {
      try {
        await client.deleteAsset(id, force);
        deleted.push(id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) inUse.push(id);
        else if (error instanceof ApiError && error.status === 404) deleted.push(id);
        else {
          await this.#forget(deleted);
          return failure(error);
        }
      }
    }
    await this.#forget(deleted);
    // Which indexes keep them, for the question (a few asked: the names repeat).
    const indexes = new Set<string>();
    for (const id of inUse.slice(0, 10)) {
      const entries = await client.assetIndexes(id).catch(() => []);
      for (const entry of entries) indexes.add(entry.index.name);
    }
    return ok({ deleted, inUse, indexes: [...indexes] });
  }

  /**
   * Puts assets already in the library into an index, each once: TwelveLabs is asked which indexes
   * hold an asset before it is sent (indexing is billed), so one already there, or sent by an
   * earlier try that was cut short, is not sent again. Only ready videos go in.
   */
  async addToIndex(ids: readonly string[], index: IndexChoice): Promise<Result<AddedToIndex>> {
    const { client, cache } = this.#options;
    const blocked = this.#blocked();
    if (blocked) return blocked;
    let sent = 0;
    let alreadyThere = 0;
    let notIndexable = 0;
    const failed: { id: string; message: string }[] = [];
    for (const id of ids) {
      const asset = await cache.get(id);
      if (!asset || asset.status !== 'ready' || !isIndexable(asset.kind)) {
        notIndexable += 1;
        continue;
      }
      try {
        if (await liveJob(client, id, index.id, this.#signal())) {
          alreadyThere += 1;
          this.noteIndexed(id, index);
          continue;
        }
        await client.indexAsset(index.id, id, asset.metadata, this.#signal());
        sent += 1;
        this.noteIndexed(id, index);
      } catch (error) {
        if (error instanceof ApiError && error.kind === 'network') return failure(error);
        failed.push({ id, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return ok({ sent, alreadyThere, notIndexable, failed });
  }

  async #forget(ids: readonly string[]): Promise<void> {
    const { cache, journal } = this.#options;
    await cache.remove(ids);
    for (const id of ids) await journal.forgetAsset(id);
    if (ids.length > 0) this.#announce({ removed: ids });
  }

  /** Writes the chosen assets (these ids, or all a query matches) from the cache to a file the person picked. */
  async exportTo(
    what: readonly string[] | LibraryQuery,
    format: ExportFormat,
    path: string,
    style: CsvStyle,
  ): Promise<number> {
    const { cache } = this.#options;
    const assets = Array.isArray(what) ? await cache.getMany(what) : await cache.query(what as LibraryQuery);
    await writeFile(path, exportAssets(assets, format, style), 'utf8');
    return assets.length;
  }

  /**
   * TwelveLabs finished with an upload (ready or failed): its asset, as the engine's last check
   * saw it, goes into the cache without another request or waiting for a full refresh.
   */
  noteProcessed(wire: WireAssetDetail): void {
    if (this.#closing.signal.aborted) return;
    this.#track(
      this.#options.cache
        .upsert([libraryAsset(wire)])
        .then((assets) => this.#announce({ assets }))
        .catch(() => undefined),
    );
  }

  /** The asset with this content hash, if the cache knows one: duplicate detection across machines. */
  async findByHash(sha256: string): Promise<{ assetId: string; name: string } | null> {
    const asset = await this.#options.cache.findByHash(sha256);
    return asset ? { assetId: asset.id, name: asset.filename } : null;
  }

  async #reload(id: string): Promise<LibraryAsset> {
    const [asset] = await this.#options.cache.upsert([
      libraryAsset(await this.#options.client.getAsset(id, this.#signal())),
    ]);
    if (!asset) throw new Error('The library copy did not keep the asset.');
    this.#announce({ assets: [asset] });
    return asset;
  }

  /**
   * Tells listeners what changed in the copy (nothing but the sync state when `change` is empty);
   * tracked, so closing waits for it to read the cache.
   */
  #announce(change: Partial<Omit<LibraryChanged, 'sync'>>): void {
    if (this.#closing.signal.aborted) return;
    const { assets = [], removed = [], reset = false } = change;
    this.#track(
      this.sync().then((sync) => {
        if (!this.#closing.signal.aborted) this.emit('changed', { sync, assets, removed, reset });
      }),
    );
  }

  /** A request's signal: given up after READ_TIMEOUT_MS, or at once when the Library closes. */
  #signal(): AbortSignal {
    return AbortSignal.any([this.#closing.signal, AbortSignal.timeout(READ_TIMEOUT_MS)]);
  }

  /** Runs background work the Library must wait for before it closes. */
  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.then(
      () => this.#pending.delete(work),
      () => this.#pending.delete(work),
    );
  }

  /** Stops reads in flight and waits for background work, before the cache closes. */
  async close(): Promise<void> {
    this.#options.gate.off('change', this.#onGate);
    this.#closing.abort();
    await Promise.allSettled([this.#syncing, ...this.#pending]);
  }
}
