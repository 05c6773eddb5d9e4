import { createHash } from 'node:crypto';
import type { IndexChoice } from '../../shared/indexes';
import { searchText, type AssetStatus, type LibraryAsset, type LibraryQuery } from '../../shared/library';
import { parseSearch, searchFields, searchSql } from '../../shared/library-search';
import { CONTENT_HASH_KEY, COPY_METADATA } from '../../shared/metadata';
import { identityOf, placeOf } from '../../shared/upload-copy';
import type { MediaKind } from '../../shared/uploads';
import { openDatabase, type Database } from '../store/database';
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
  // Which indexes hold each asset, as last read: the "In index" filter and column. Its own table,
  // because a read of one asset (an upload finished, an edit) says nothing about its indexes.
  `
  CREATE TABLE asset_indexes (
    asset_id TEXT NOT NULL,
    index_id TEXT NOT NULL,
    index_name TEXT NOT NULL,
    PRIMARY KEY (asset_id, index_id)
  );
  CREATE INDEX asset_indexes_by_index ON asset_indexes (index_id);
  `,
  // Search text in one Unicode form (NFC), so a name macOS stored decomposed is found by what a
  // keyboard types: every row is written again, by the fill-in, when the copy opens.
  `
  UPDATE assets SET fields = NULL;
  `,
];

/** An asset's indexes as one column, read with each row. */
const INDEXES_COLUMN = `(SELECT json_group_array(json_object('id', index_id, 'name', index_name))
  FROM asset_indexes WHERE asset_id = assets.id) AS indexes`;
/** Every column of a row the Library shows. */
const SELECT = `SELECT assets.*, ${INDEXES_COLUMN} FROM assets`;

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
  // A part of a split programme is known by its original's content and its place ("1/3").
  const identity = typeof hash === 'string' ? identityOf(hash, placeOf(asset.metadata[COPY_METADATA.part])) : null;
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
    identity,
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
  /** JSON, from INDEXES_COLUMN. */
  indexes: string;
}

/** Index memberships by asset id. */
export type Memberships = ReadonlyMap<string, readonly IndexChoice[]>;

function byName(indexes: readonly IndexChoice[]): IndexChoice[] {
  return [...indexes].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
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
    indexes: byName(JSON.parse(row.indexes)),
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
    const cache = new LibraryCache(await openDatabase(path, MIGRATIONS));
    await cache.#fillIn();
    return cache;
  }

  /** Rows written before field search existed get their search fields and fingerprint. */
  async #fillIn(): Promise<void> {
    const rows = await this.db.all<AssetRow & { seq: number }>(`${SELECT} WHERE fields IS NULL`);
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

  /** Which indexes hold these assets (every asset when `ids` is not given), as the copy has it. */
  async #memberships(ids?: readonly string[]): Promise<Map<string, IndexChoice[]>> {
    const rows: { asset_id: string; index_id: string; index_name: string }[] = [];
    if (!ids) rows.push(...(await this.db.all<(typeof rows)[number]>('SELECT * FROM asset_indexes')));
    else {
      for (let start = 0; start < ids.length; start += WRITE_BATCH) {
        const batch = ids.slice(start, start + WRITE_BATCH);
        rows.push(
          ...(await this.db.all<(typeof rows)[number]>(
            `SELECT * FROM asset_indexes WHERE asset_id IN (${batch.map(() => '?').join(', ')})`,
            batch,
          )),
        );
      }
    }
    const found = new Map<string, IndexChoice[]>();
    for (const row of rows) {
      const list = found.get(row.asset_id) ?? [];
      list.push({ id: row.index_id, name: row.index_name });
      found.set(row.asset_id, list);
    }
    return found;
  }

  /**
   * Adds or updates assets (after an upload, an edit, or a search answered by the server), keeping
   * the indexes the copy knows them to be in; answers with them as the copy now has them.
   */
  async upsert(assets: readonly LibraryAsset[]): Promise<LibraryAsset[]> {
    if (assets.length === 0) return [];
    return this.db.transaction(async () => {
      const top = await this.#topSeq();
      const held = await this.#memberships(assets.map((asset) => asset.id));
      const stored = assets.map((asset) => ({ ...asset, indexes: byName(held.get(asset.id) ?? []) }));
      await this.#write(stored.map((asset, index) => [asset, top + index + 1] as const));
      return stored;
    });
  }

  /**
   * Records which indexes hold one asset (after it was indexed, added, or its details read), as
   * `next` makes them of the ones the copy has, read and written in one transaction so two notes
   * about one asset cannot lose either: answers with the asset as the copy now has it, or null
   * when that changed nothing.
   */
  async setIndexes(
    assetId: string,
    next: (held: readonly IndexChoice[]) => readonly IndexChoice[],
  ): Promise<LibraryAsset | null> {
    return this.db.transaction(async () => {
      const before = await this.get(assetId);
      if (!before) return null;
      const sorted = byName(next(before.indexes));
      if (JSON.stringify(before.indexes) === JSON.stringify(sorted)) return null;
      await this.db.run('DELETE FROM asset_indexes WHERE asset_id = ?', [assetId]);
      for (const index of sorted) {
        await this.db.run('INSERT INTO asset_indexes (asset_id, index_id, index_name) VALUES (?, ?, ?)', [
          assetId,
          index.id,
          index.name,
        ]);
      }
      const asset = { ...before, indexes: sorted };
      await this.db.run('UPDATE assets SET fingerprint = ? WHERE id = ?', [fingerprintOf(asset), assetId]);
      return asset;
    });
  }

  /**
   * A whole fresh read of the library, begun at `syncedAt`, newest first, with which indexes hold
   * each asset when those were read too (else the copy's are kept). Only what differs from the
   * copy is written: assets new or changed, and what TwelveLabs no longer has dropped, except
   * assets made in the minute before the read began (an upload that finished while the pages
   * were read is kept; the next read settles it). Answers with what changed.
   */
  async replaceAll(
    assets: readonly LibraryAsset[],
    syncedAt: number,
    memberships: Memberships | null = null,
  ): Promise<CopyChanges> {
    return this.db.transaction(async () => {
      const known = new Map(
        (
          await this.db.all<{ id: string; fingerprint: string; created_at: number }>(
            'SELECT id, fingerprint, created_at FROM assets',
          )
        ).map((row) => [row.id, row]),
      );
      const held = memberships ?? (await this.#memberships());
      if (memberships) await this.#replaceMemberships(memberships);
      const top = await this.#topSeq();
      const changed: LibraryAsset[] = [];
      const writes: (readonly [LibraryAsset, number, string])[] = [];
      // The first of the read is the newest: new assets take places above every known one.
      for (const [index, read] of assets.entries()) {
        const asset = { ...read, indexes: byName(held.get(read.id) ?? []) };
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

  async #replaceMemberships(memberships: Memberships): Promise<void> {
    await this.db.run('DELETE FROM asset_indexes');
    const rows = [...memberships].flatMap(([assetId, indexes]) => indexes.map((index) => [assetId, index] as const));
    for (let start = 0; start < rows.length; start += WRITE_BATCH) {
      const batch = rows.slice(start, start + WRITE_BATCH);
      await this.db.run(
        `INSERT OR REPLACE INTO asset_indexes (asset_id, index_id, index_name) VALUES ${batch.map(() => '(?, ?, ?)').join(', ')}`,
        batch.flatMap(([assetId, index]) => [assetId, index.id, index.name]),
      );
    }
  }

  async #delete(ids: readonly string[]): Promise<void> {
    for (let start = 0; start < ids.length; start += WRITE_BATCH) {
      const batch = ids.slice(start, start + WRITE_BATCH);
      const marks = batch.map(() => '?').join(', ');
      await this.db.run(`DELETE FROM assets WHERE id IN (${marks})`, batch);
      await this.db.run(`DELETE FROM asset_indexes WHERE asset_id IN (${marks})`, batch);
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.db.transaction(() => this.#delete(ids));
  }

  async get(id: string): Promise<LibraryAsset | undefined> {
    const row = await this.db.get<AssetRow>(`${SELECT} WHERE id = ?`, [id]);
    return row && assetOf(row);
  }

  /** The assets with these ids that the copy has, in the order asked for. */
  async getMany(ids: readonly string[]): Promise<LibraryAsset[]> {
    const found = new Map<string, LibraryAsset>();
    // A few hundred ids a query, far below SQLite's limit on bound parameters.
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500);
      const rows = await this.db.all<AssetRow>(`${SELECT} WHERE id IN (${batch.map(() => '?').join(', ')})`, batch);
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
    if (query.index === 'none') where.push('NOT EXISTS (SELECT 1 FROM asset_indexes WHERE asset_id = assets.id)');
    else if (query.index !== 'all') {
      where.push('EXISTS (SELECT 1 FROM asset_indexes WHERE asset_id = assets.id AND index_id = ?)');
      params.push(query.index);
    }
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  }

  /** Assets matching a query, in its order; all of them, or the part `range` asks for. */
  async query(query: LibraryQuery, range?: QueryRange): Promise<LibraryAsset[]> {
    const { sql, params } = this.#where(query);
    const limit = range ? ` LIMIT ${Math.trunc(range.limit)} OFFSET ${Math.trunc(range.offset)}` : '';
    const rows = await this.db.all<AssetRow>(`${SELECT} ${sql} ORDER BY ${SORTS[query.sort]}${limit}`, params);
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
    const row = await this.db.get<AssetRow>(`${SELECT} WHERE content_sha256 = ? LIMIT 1`, [sha256]);
    return row && assetOf(row);
  }

  /** The indexes any asset is in, by name. */
  async indexes(): Promise<IndexChoice[]> {
    const rows = await this.db.all<{ id: string; name: string }>(
      'SELECT index_id AS id, MAX(index_name) AS name FROM asset_indexes GROUP BY index_id',
    );
    return byName(rows);
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM assets'))?.n ?? 0;
  }

  async syncedAt(): Promise<number | null> {
    return (await this.db.get<{ synced_at: number }>('SELECT synced_at FROM sync WHERE id = 1'))?.synced_at ?? null;
  }
}
