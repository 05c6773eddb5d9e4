import { csvLines, type CsvStyle } from './csv';
import { matchesSearch, parseSearch, searchFields } from './library-search';
import type { IndexChoice } from './indexes';
import type { UserMetadata } from './metadata';
import type { MediaKind } from './uploads';
import { foldForSearch } from './library-search';

export type AssetStatus = 'processing' | 'ready' | 'failed';

/** One asset as the Library shows it: plain data, epoch-ms dates, null where TwelveLabs did not say. */
export interface LibraryAsset {
  readonly id: string;
  readonly filename: string;
  readonly kind: MediaKind;
  readonly status: AssetStatus;
  readonly size: number | null;
  readonly durationSeconds: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly createdAt: number;
  readonly thumbnailUrl: string | null;
  readonly hlsUrl: string | null;
  /** Why processing failed, in TwelveLabs' words. */
  readonly error: string | null;
  readonly metadata: UserMetadata;
  /**
   * The indexes it is in or on its way into (a failed job is not counted), by name; as last read,
   * so empty until the library has been read with its indexes.
   */
  readonly indexes: readonly IndexChoice[];
}

export type LibrarySort = 'newest' | 'oldest' | 'name';

export interface LibraryQuery {
  /** In the Library's search language (`library-search.ts`): words, `key:value`, `rating>3`, `-draft`. */
  readonly search: string;
  readonly kind: MediaKind | 'all';
  readonly status: AssetStatus | 'all';
  readonly sort: LibrarySort;
  /** An index's id, `none` for assets in no index, or `all`. */
  readonly index: string;
}

/** How many assets the screen reads at a time: a few screens of cards, read again as it scrolls. */
export const LIBRARY_PAGE = 300;

export const DEFAULT_LIBRARY_QUERY: LibraryQuery = {
  search: '',
  kind: 'all',
  status: 'all',
  sort: 'newest',
  index: 'all',
};

/** Where the local copy of the library stands against TwelveLabs. */
export interface LibrarySync {
  readonly syncing: boolean;
  /** When the whole library was last read from TwelveLabs; null before the first time. */
  readonly syncedAt: number | null;
  /** The last refresh could not reach TwelveLabs: the Library is read-only until it can. */
  readonly offline: boolean;
  /** Why the last refresh could not read the library, in words; null when it could. */
  readonly problem: string | null;
  readonly total: number;
  /** The indexes any asset of the library is in, by name: what the "In index" filter offers. */
  readonly indexes: readonly IndexChoice[];
}

export interface LibraryListOptions {
  /** A name search also asks TwelveLabs unless false (a list read again after a change). */
  readonly askServer?: boolean | undefined;
  /** Where in the answer to start, and how many to send; the whole answer when not given. */
  readonly offset?: number | undefined;
  readonly limit?: number | undefined;
}

export interface LibraryPage {
  /** The part of the answer asked for. */
  readonly assets: readonly LibraryAsset[];
  /** How many assets match the query in all. */
  readonly matched: number;
  readonly sync: LibrarySync;
}

/**
 * What changed in the local copy, so a screen patches its list instead of reading it again:
 * assets added or updated, and ids removed (a full read sends just what it changed), or, when
 * more changed than is worth sending (`reset`: a first read, another account's library), nothing
 * but the word to read the list again.
 */
export interface LibraryChanged {
  readonly sync: LibrarySync;
  readonly assets: readonly LibraryAsset[];
  readonly removed: readonly string[];
  readonly reset: boolean;
}

/** Past this many changed assets a full read says `reset` instead of sending them all. */
export const CHANGES_SENT = 500;

/** What search looks in: the file name and every metadata value, lower-cased. */
export function searchText(asset: Pick<LibraryAsset, 'filename' | 'metadata'>): string {
  return foldForSearch([asset.filename, ...Object.values(asset.metadata).map(String)].join('\n'));
}

/** Whether an asset is in the index a query asks for (any, none, or one by id). */
function inIndex(asset: LibraryAsset, index: string): boolean {
  if (index === 'all') return true;
  if (index === 'none') return asset.indexes.length === 0;
  return asset.indexes.some((entry) => entry.id === index);
}

/** Whether an asset belongs in the answer to `query`, exactly as the local copy's query decides. */
export function queryMatcher(query: LibraryQuery): (asset: LibraryAsset) => boolean {
  const terms = parseSearch(query.search);
  return (asset) =>
    (query.kind === 'all' || asset.kind === query.kind) &&
    (query.status === 'all' || asset.status === query.status) &&
    inIndex(asset, query.index) &&
    (terms.length === 0 ||
      matchesSearch(terms, {
        text: searchText(asset),
        fields: searchFields(asset),
        kind: asset.kind,
        status: asset.status,
      }));
}

/**
 * A shown list with a change applied: removed ids dropped, a changed asset replaced where it is
 * or dropped when it no longer matches. `null` when only a new read can say where an asset goes
 * (one new to this list, one renamed or re-dated in the list's order, or a reset): the local
 * copy orders equal dates by the server's own order, which the window does not know.
 */
export function patchList(
  list: readonly LibraryAsset[],
  change: Pick<LibraryChanged, 'assets' | 'removed' | 'reset'>,
  query: LibraryQuery,
): LibraryAsset[] | null {
  if (change.reset) return null;
  const matches = queryMatcher(query);
  const changed = new Map(change.assets.map((asset) => [asset.id, asset]));
  const gone = new Set(change.removed);
  const next: LibraryAsset[] = [];
  for (const asset of list) {
    if (gone.has(asset.id)) continue;
    const fresh = changed.get(asset.id);
    changed.delete(asset.id);
    if (!fresh) next.push(asset);
    else if (!matches(fresh)) continue;
    else if (fresh.createdAt !== asset.createdAt || (query.sort === 'name' && fresh.filename !== asset.filename))
      return null;
    else next.push(fresh);
  }
  for (const asset of changed.values()) if (!gone.has(asset.id) && matches(asset)) return null;
  return next;
}

/** What an asset was uploaded from on this machine, for the link back to the Uploads list. */
export interface LocalSource {
  readonly itemId: string;
  /** The file's path, or for an asset TwelveLabs fetched from a link, the link. */
  readonly path: string;
  readonly link: boolean;
}

export interface LibraryDetail {
  readonly asset: LibraryAsset;
  readonly source: LocalSource | null;
  /** From the local copy because TwelveLabs could not be reached. */
  readonly stale: boolean;
  /** A document's pages, as TwelveLabs read them; null for other assets or when not said. */
  readonly pages: number | null;
  /** The indexes it is in (searchable there); null when that could not be asked, or it is no video. */
  readonly indexes: readonly string[] | null;
}

/** What "Add to index…" did with each selected asset. */
export interface AddedToIndex {
  /** Sent to the index now (each once: one already there is not sent again). */
  readonly sent: number;
  readonly alreadyThere: number;
  /** Not a kind an index takes, or not ready yet. */
  readonly notIndexable: number;
  readonly failed: readonly { readonly id: string; readonly message: string }[];
}

/** The three ways to change an asset's metadata, as the API offers them. */
export type MetadataMode = 'merge' | 'replace' | 'clear';

export type ExportFormat = 'csv' | 'json';

/** One exported asset: the fields the export promises, in order. */
export function exportRecord(asset: LibraryAsset) {
  return {
    id: asset.id,
    filename: asset.filename,
    type: asset.kind,
    size: asset.size,
    duration: asset.durationSeconds,
    status: asset.status,
    created: new Date(asset.createdAt).toISOString(),
    indexes: asset.indexes.map((index) => index.name),
    metadata: asset.metadata,
  };
}

/**
 * Assets as JSON, or as CSV with one column per metadata key any of them has (named by the key;
 * a key that is also a fixed column's name is written `metadata.<key>`), ready to write.
 */
export function exportAssets(assets: readonly LibraryAsset[], format: ExportFormat, style?: CsvStyle): string {
  const records = assets.map(exportRecord);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const fixed = ['id', 'filename', 'type', 'size', 'duration', 'status', 'created', 'indexes'];
  const keys = [...new Set(assets.flatMap((asset) => Object.keys(asset.metadata)))].sort((a, b) =>
    a.localeCompare(b, undefined, { sensitivity: 'base' }),
  );
  return csvLines(
    [...fixed, ...keys.map((key) => (fixed.includes(key) ? `metadata.${key}` : key))],
    records.map(({ metadata, indexes, ...record }) => [
      ...Object.values(record),
      indexes.join('; '),
      ...keys.map((key) => metadata[key] ?? null),
    ]),
    style,
  );
}
