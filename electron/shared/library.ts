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

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quotes when needed (RFC 4180), and a leading quote mark on text a spreadsheet would run as a formula.
  // Also behind leading spaces or line breaks, and in their full-width forms (＝＋－＠), which
  // spreadsheets in East Asian locales read the same way.
  const safe = /^[\s]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The selection as CSV (metadata as a JSON column) or JSON, ready to write to the chosen file. */
export function exportAssets(assets: readonly LibraryAsset[], format: ExportFormat): string {
  const records = assets.map(exportRecord);
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  const header = ['id', 'filename', 'type', 'size', 'duration', 'status', 'created', 'metadata'];
  const lines = records.map((record) => Object.values(record).map(csvCell).join(','));
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
