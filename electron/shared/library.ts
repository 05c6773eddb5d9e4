import { csvLines } from './csv';
import type { UserMetadata } from './metadata';
import type { MediaKind } from './uploads';

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
}

export type LibrarySort = 'newest' | 'oldest' | 'name';

export interface LibraryQuery {
  /** Matches file names and metadata values, ignoring case. */
  readonly search: string;
  readonly kind: MediaKind | 'all';
  readonly status: AssetStatus | 'all';
  readonly sort: LibrarySort;
}

export const DEFAULT_LIBRARY_QUERY: LibraryQuery = { search: '', kind: 'all', status: 'all', sort: 'newest' };

/** Where the local copy of the library stands against TwelveLabs. */
export interface LibrarySync {
  readonly syncing: boolean;
  /** When the whole library was last read from TwelveLabs; null before the first time. */
  readonly syncedAt: number | null;
  /** The last refresh could not reach TwelveLabs: the Library is read-only until it can. */
  readonly offline: boolean;
  readonly total: number;
}

export interface LibraryPage {
  readonly assets: readonly LibraryAsset[];
  readonly sync: LibrarySync;
}

/**
 * What changed in the local copy, so a screen patches its list instead of reading it again:
 * assets added or updated, ids removed, or (`reset`) the copy read anew as a whole.
 */
export interface LibraryChanged {
  readonly sync: LibrarySync;
  readonly assets: readonly LibraryAsset[];
  readonly removed: readonly string[];
  readonly reset: boolean;
}

/** What search looks in: the file name and every metadata value, lower-cased. */
export function searchText(asset: Pick<LibraryAsset, 'filename' | 'metadata'>): string {
  return [asset.filename, ...Object.values(asset.metadata).map(String)].join('\n').toLowerCase();
}

/** Whether `asset` belongs in the answer to `query`, exactly as the local copy's query decides. */
export function matchesQuery(asset: LibraryAsset, query: LibraryQuery): boolean {
  const search = query.search.trim().toLowerCase();
  return (
    (search === '' || searchText(asset).includes(search)) &&
    (query.kind === 'all' || asset.kind === query.kind) &&
    (query.status === 'all' || asset.status === query.status)
  );
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
  const changed = new Map(change.assets.map((asset) => [asset.id, asset]));
  const gone = new Set(change.removed);
  const next: LibraryAsset[] = [];
  for (const asset of list) {
    if (gone.has(asset.id)) continue;
    const fresh = changed.get(asset.id);
    changed.delete(asset.id);
    if (!fresh) next.push(asset);
    else if (!matchesQuery(fresh, query)) continue;
    else if (fresh.createdAt !== asset.createdAt || (query.sort === 'name' && fresh.filename !== asset.filename))
      return null;
    else next.push(fresh);
  }
  for (const asset of changed.values()) if (!gone.has(asset.id) && matchesQuery(asset, query)) return null;
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
    metadata: asset.metadata,
  };
}

/** The selection as CSV (metadata as a JSON column) or JSON, ready to write to the chosen file. */
export function exportAssets(assets: readonly LibraryAsset[], format: ExportFormat): string {
  const records = assets.map(exportRecord);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const header = ['id', 'filename', 'type', 'size', 'duration', 'status', 'created', 'metadata'];
  return csvLines(
    header,
    records.map((record) => Object.values(record)),
  );
}
