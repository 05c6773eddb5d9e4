import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { searchText, type AssetStatus, type LibraryAsset, type LibraryQuery } from '../../shared/library';
import { parseSearch, searchFields, searchSql } from '../../shared/library-search';
import { CONTENT_HASH_KEY } from '../../shared/metadata';
import type { MediaKind } from '../../shared/uploads';
import { Database, migrate } from '../store/database';
import { quickCheck } from '../store/recovery';

/** Append only; files in the field are at every version. */
const MIGRATIONS = [
  `
  CREATE TABLE assets (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    size INTEGER,
    duration REAL,
    width INTEGER,
    height INTEGER,
    created_at INTEGER NOT NULL,
    thumbnail_url TEXT,
    hls_url TEXT,
    error TEXT,
    metadata TEXT NOT NULL,
    -- File name and metadata values, lower-cased: what search looks in.
    search TEXT NOT NULL,
    content_sha256 TEXT,
    -- Place in TwelveLabs' own newest-first order; breaks ties between assets made the same instant.
    seq INTEGER NOT NULL
  );
  CREATE INDEX assets_by_created ON assets (created_at DESC);
  CREATE INDEX assets_by_hash ON assets (content_sha256);
  CREATE TABLE sync (id INTEGER PRIMARY KEY CHECK (id = 1), synced_at INTEGER NOT NULL);
  `,
  // What field search looks in (SearchFields as JSON), and a fingerprint of the whole asset so a
  // full read writes only what changed. Rows from before are filled in when the copy opens.
  `
  ALTER TABLE assets ADD COLUMN fields TEXT;
  ALTER TABLE assets ADD COLUMN fingerprint TEXT;
  `,
];

/** Columns written per asset, in order; a full read writes many assets a statement. */
const COLUMNS = [
  'id',
  'filename',
  'kind',
  'status',
  'size',
  'duration',
  'width',
  'height',
  'created_at',
  'thumbnail_url',
  'hls_url',
  'error',
  'metadata',
  'search',
  'fields',
  'content_sha256',
  'fingerprint',
  'seq',
] as const;
/** Assets a statement: 18 parameters each, well under SQLite's limit of 32,766. */
const WRITE_BATCH = 500;
const UPSERT_TAIL = `ON CONFLICT (id) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'id' && c !== 'seq')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

/** Changes whenever anything the Library shows about the asset changes. */
function fingerprintOf(asset: LibraryAsset): string {
  return createHash('sha1').update(JSON.stringify(asset)).digest('base64');
}

function rowValues(asset: LibraryAsset, seq: number, fingerprint: string): (string | number | null)[] {
  const hash = asset.metadata[CONTENT_HASH_KEY];
  return [
    asset.id,
    asset.filename,
    asset.kind,
    asset.status,
    asset.size,
    asset.durationSeconds,
    asset.width,
    asset.height,
    asset.createdAt,
    asset.thumbnailUrl,
    asset.hlsUrl,
    asset.error,
    JSON.stringify(asset.metadata),
    searchText(asset),
    JSON.stringify(searchFields(asset)),
    typeof hash === 'string' ? hash : null,
    fingerprint,
    seq,
  ];
}

/** What a full read changed in the copy. */
export interface CopyChanges {
  readonly changed: readonly LibraryAsset[];
  readonly removed: readonly string[];
}

/** Which part of a query's answer to read: the screen reads a page at a time. */
export interface QueryRange {
  readonly offset: number;
  readonly limit: number;
}

interface AssetRow {
  id: string;
  filename: string;
  kind: MediaKind;
  status: AssetStatus;
  size: number | null;
  duration: number | null;
  width: number | null;
  height: number | null;
  created_at: number;
  thumbnail_url: string | null;
  hls_url: string | null;
  error: string | null;
  metadata: string;
}

function assetOf(row: AssetRow): LibraryAsset {
  return {
    id: row.id,
    filename: row.filename,
    kind: row.kind,
    status: row.status,
    size: row.size,
    durationSeconds: row.duration,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
    thumbnailUrl: row.thumbnail_url,
    hlsUrl: row.hls_url,
    error: row.error,
    metadata: JSON.parse(row.metadata),
  };
}

const SORTS = {
  newest: 'created_at DESC, seq DESC',
  oldest: 'created_at ASC, seq ASC',
  name: 'filename COLLATE NOCASE, created_at DESC',
} as const;

/**
 * The library as last read from TwelveLabs, in SQLite: the Library screen opens from it at once,
 * works from it offline, and searches metadata values in it (the API cannot).
 */
export class LibraryCache {
  private constructor(private readonly db: Database) {}

  static async open(path: string): Promise<LibraryCache> {
    await mkdir(dirname(path), { recursive: true });
    const db = await Database.open(path);
    await migrate(db, MIGRATIONS);
    const cache = new LibraryCache(db);
    await cache.#fillIn();
    return cache;
  }

  /** Rows written before field search existed get their search fields and fingerprint. */
  async #fillIn(): Promise<void> {
    const rows = await this.db.all<AssetRow & { seq: number }>('SELECT * FROM assets WHERE fields IS NULL');
    if (rows.length === 0) return;
    await this.db.transaction(() => this.#write(rows.map((row) => [assetOf(row), row.seq] as const)));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  healthy(): Promise<boolean> {
    return quickCheck(this.db);
  }

  /**
   * Writes assets with their places in newest-first order (`seq`; a cached asset keeps its own)
   * and their fingerprints, when the caller has already made them.
   */
  async #write(assets: readonly (readonly [LibraryAsset, number, string?])[]): Promise<void> {
    for (let start = 0; start < assets.length; start += WRITE_BATCH) {
      const batch = assets.slice(start, start + WRITE_BATCH);
      const row = `(${COLUMNS.map(() => '?').join(', ')})`;
      await this.db.run(
        `INSERT INTO assets (${COLUMNS.join(', ')}) VALUES ${batch.map(() => row).join(', ')} ${UPSERT_TAIL}`,
        batch.flatMap(([asset, seq, fingerprint]) => rowValues(asset, seq, fingerprint ?? fingerprintOf(asset))),
      );
    }
  }

  async #topSeq(): Promise<number> {
    return (await this.db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM assets'))?.seq ?? 0;
  }

  /** Adds or updates assets (after an upload, an edit, or a search answered by the server). */
  async upsert(assets: readonly LibraryAsset[]): Promise<void> {
    if (assets.length === 0) return;
    await this.db.transaction(async () => {
      const top = await this.#topSeq();
      await this.#write(assets.map((asset, index) => [asset, top + index + 1] as const));
    });
  }

  /**
   * A whole fresh read of the library, begun at `syncedAt`, newest first. Only what differs from
   * the copy is written: assets new or changed, and what TwelveLabs no longer has dropped, except
   * assets made in the minute before the read began (an upload that finished while the pages
   * were read is kept; the next read settles it). Answers with what changed.
   */
  async replaceAll(assets: readonly LibraryAsset[], syncedAt: number): Promise<CopyChanges> {
    return this.db.transaction(async () => {
      const known = new Map(
        (
          await this.db.all<{ id: string; fingerprint: string; created_at: number }>(
            'SELECT id, fingerprint, created_at FROM assets',
          )
        ).map((row) => [row.id, row]),
      );
      const top = await this.#topSeq();
      const changed: LibraryAsset[] = [];
      const writes: (readonly [LibraryAsset, number, string])[] = [];
      // The first of the read is the newest: new assets take places above every known one.
      for (const [index, asset] of assets.entries()) {
        const had = known.get(asset.id);
        known.delete(asset.id);
        const fingerprint = fingerprintOf(asset);
        if (had?.fingerprint === fingerprint) continue;
        changed.push(asset);
        writes.push([asset, top + assets.length - index, fingerprint]);
      }
      await this.#write(writes);
      const removed = [...known.values()].filter((row) => row.created_at < syncedAt - 60_000).map((row) => row.id);
      await this.#delete(removed);
      await this.db.run('INSERT OR REPLACE INTO sync (id, synced_at) VALUES (1, ?)', [syncedAt]);
      return { changed, removed };
    });
  }

  async #delete(ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += WRITE_BATCH) {
      const batch = ids.slice(start, start + WRITE_BATCH);
      await this.db.run(`DELETE FROM assets WHERE id IN (${batch.map(() => '?').join(', ')})`, batch);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.db.transaction(() => this.#delete(ids));
  }

  async get(id: string): Promise<LibraryAsset | undefined> {
    const row = await this.db.get<AssetRow>('SELECT * FROM assets WHERE id = ?', [id]);
    return row && assetOf(row);
  }

  /** The assets with these ids that the copy has, in the order asked for. */
  async getMany(ids: readonly string[]): Promise<LibraryAsset[]> {
    const found = new Map<string, LibraryAsset>();
    // A few hundred ids a query, far below SQLite's limit on bound parameters.
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      const rows = await this.db.all<AssetRow>(
        `SELECT * FROM assets WHERE id IN (${batch.map(() => '?').join(', ')})`,
        batch,
      );
      for (const row of rows) found.set(row.id, assetOf(row));
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /** A query's conditions, in the Library's search language (`library-search.ts`). */
  #where(query: LibraryQuery): { sql: string; params: (string | number)[] } {
    const { where, params } = searchSql(parseSearch(query.search));
    if (query.kind !== 'all') {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.status !== 'all') {
      where.push('status = ?');
      params.push(query.status);
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  /** Assets matching a query, in its order; all of them, or the part `range` asks for. */
  async query(query: LibraryQuery, range?: QueryRange): Promise<LibraryAsset[]> {
    const { sql, params } = this.#where(query);
    const limit = range ? ` LIMIT ${Math.trunc(range.limit)} OFFSET ${Math.trunc(range.offset)}` : '';
    const rows = await this.db.all<AssetRow>(
      `SELECT * FROM assets ${sql} ORDER BY ${SORTS[query.sort]}${limit}`,
      params,
    );
    return rows.map(assetOf);
  }

  /** How many assets match a query. */
  async countMatching(query: LibraryQuery): Promise<number> {
    const { sql, params } = this.#where(query);
    return (await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM assets ${sql}`, params))?.n ?? 0;
  }

  /** The ids of every asset matching a query, in its order (for "select all" over a long list). */
  async ids(query: LibraryQuery): Promise<string[]> {
    const { sql, params } = this.#where(query);
    const rows = await this.db.all<{ id: string }>(
      `SELECT id FROM assets ${sql} ORDER BY ${SORTS[query.sort]}`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /** Every metadata key any asset has, by name. */
  async keys(): Promise<string[]> {
    const rows = await this.db.all<{ key: string }>(
      'SELECT DISTINCT key FROM assets, json_each(assets.metadata) ORDER BY key COLLATE NOCASE',
    );
    return rows.map((row) => row.key);
  }

  /** The asset carrying this content hash in its metadata, from any machine. */
  async findByHash(sha256: string): Promise<LibraryAsset | undefined> {
    const row = await this.db.get<AssetRow>('SELECT * FROM assets WHERE content_sha256 = ? LIMIT 1', [sha256]);
    return row && assetOf(row);
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM assets'))?.n ?? 0;
  }

  async syncedAt(): Promise<number | null> {
    return (await this.db.get<{ synced_at: number }>('SELECT synced_at FROM sync WHERE id = 1'))?.synced_at ?? null;
  }
}
