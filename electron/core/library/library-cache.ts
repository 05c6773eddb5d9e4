import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { searchText, type AssetStatus, type LibraryAsset, type LibraryQuery } from '../../shared/library';
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
];

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
    return new LibraryCache(db);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  healthy(): Promise<boolean> {
    return quickCheck(this.db);
  }

  /** `seq`: the asset's place in newest-first order; an asset already cached keeps its own. */
  async #write(asset: LibraryAsset, seq: number): Promise<void> {
    const search = searchText(asset);
    const hash = asset.metadata[CONTENT_HASH_KEY];
    await this.db.run(
      `INSERT INTO assets (id, filename, kind, status, size, duration, width, height, created_at,
         thumbnail_url, hls_url, error, metadata, search, content_sha256, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, kind = excluded.kind, status = excluded.status,
         size = excluded.size, duration = excluded.duration, width = excluded.width, height = excluded.height,
         created_at = excluded.created_at, thumbnail_url = excluded.thumbnail_url, hls_url = excluded.hls_url,
         error = excluded.error, metadata = excluded.metadata, search = excluded.search,
         content_sha256 = excluded.content_sha256`,
      [
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
        search,
        typeof hash === 'string' ? hash : null,
        seq,
      ],
    );
  }

  /** Adds or updates assets (after an upload, an edit, or a search answered by the server). */
  async upsert(assets: readonly LibraryAsset[]): Promise<void> {
    if (assets.length === 0) return;
    await this.db.transaction(async () => {
      const top = await this.db.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM assets');
      let seq = top?.seq ?? 0;
      for (const asset of assets) await this.#write(asset, (seq += 1));
    });
  }

  /**
   * A whole fresh read of the library, begun at `syncedAt`: what TwelveLabs no longer has is
   * dropped, except assets made in the minute before the read began (an upload that finished
   * while the pages were read is kept; the next read settles it).
   */
  async replaceAll(assets: readonly LibraryAsset[], syncedAt: number): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM assets WHERE created_at < ?', [syncedAt - 60_000]);
      // Newest first from the API: the first gets the highest place.
      for (const [index, asset] of assets.entries()) {
        await this.db.run('UPDATE assets SET seq = ? WHERE id = ?', [assets.length - index, asset.id]);
        await this.#write(asset, assets.length - index);
      }
      await this.db.run('INSERT OR REPLACE INTO sync (id, synced_at) VALUES (1, ?)', [syncedAt]);
    });
  }

  async remove(ids: readonly string[]): Promise<void> {
    await this.db.transaction(async () => {
      for (const id of ids) await this.db.run('DELETE FROM assets WHERE id = ?', [id]);
    });
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

  /** Assets matching a query, in its order. Search looks in file names and metadata values. */
  async query(query: LibraryQuery): Promise<LibraryAsset[]> {
    const where: string[] = [];
    const params: string[] = [];
    const search = query.search.trim().toLowerCase();
    if (search) {
      // instr, not LIKE: a % or _ typed by a person is just a character.
      where.push('instr(search, ?) > 0');
      params.push(search);
    }
    if (query.kind !== 'all') {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.status !== 'all') {
      where.push('status = ?');
      params.push(query.status);
    }
    const rows = await this.db.all<AssetRow>(
      `SELECT * FROM assets ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${SORTS[query.sort]}`,
      params,
    );
    return rows.map(assetOf);
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
