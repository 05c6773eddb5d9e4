import { randomUUID } from 'node:crypto';
import {
  SKIP_WORDS,
  type MediaKind,
  type SkipReason,
  type UploadItem,
  type UploadStatus,
  type UploadStatusKind,
  type UploadStrategy,
} from '../../shared/uploads';
import { assertNever } from '../../shared/result';
import { sqlKinds } from '../../shared/upload-status';
import type { BatchRecord, ReportRow } from '../../shared/report';
import { indexOutcomes, type IndexChoice, type IndexState, type ItemIndex } from '../../shared/indexes';
import { openDatabase, type Database, type SqlParams } from '../store/database';
import { folderOf, nameOf } from '../../shared/paths';
import { foldForSearch } from '../../shared/library-search';
import { CONTENT_HASH_KEY, type UserMetadata } from '../../shared/metadata';
import { quickCheck } from '../store/recovery';
import { copyRecipe, type UploadCopy } from '../../shared/upload-copy';
import { counted, formatList, m } from '../../shared/i18n';
import { once } from '../util/once';

/**
 * The schema, one entry per version. Append; never edit a shipped entry, because files in the
 * field are at every version.
 */
const MIGRATIONS = [
  `
  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    path TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    mime TEXT NOT NULL,
    strategy TEXT NOT NULL,
    state TEXT NOT NULL,
    reason_code TEXT,
    reason_message TEXT,
    reason_detail TEXT,
    retryable INTEGER NOT NULL DEFAULT 0,
    asset_id TEXT,
    bytes_sent INTEGER NOT NULL DEFAULT 0,
    attempt_started_at INTEGER,
    user_metadata TEXT,
    position REAL NOT NULL,
    added_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX items_by_position ON items (position);
  CREATE INDEX items_by_path ON items (path);

  CREATE TABLE multipart_sessions (
    item_id TEXT PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    upload_id TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    chunk_size INTEGER NOT NULL,
    total_chunks INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE chunks (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    chunk_index INTEGER NOT NULL,
    etag TEXT NOT NULL,
    size INTEGER NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, chunk_index)
  );
  `,
  // 2: a notice per item, for things worth saying that are not failures.
  `ALTER TABLE items ADD COLUMN notice TEXT;`,
  // 3: content hashes, and what this machine has uploaded (kept when the queue is cleared), for
  // duplicate detection.
  `
  ALTER TABLE items ADD COLUMN sha256 TEXT;
  CREATE TABLE uploaded (
    sha256 TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL,
    name TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
  );
  CREATE INDEX uploaded_by_asset ON uploaded (asset_id);
  `,
  // 4: room for a test write, to learn when a full disk has space again.
  `CREATE TABLE write_probe (room BLOB NOT NULL);`,
  // 5: what each watched folder has already queued, so a restart's catch-up queues only what is
  // new or changed.
  `
  CREATE TABLE watch_seen (
    folder_id TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms INTEGER NOT NULL,
    item_id TEXT,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (folder_id, relative_path)
  );
  `,
  // 6: the watched folder an item came from, for the row and the filter.
  `ALTER TABLE items ADD COLUMN watch_folder TEXT;`,
  // 7: the batch report: tries and when the first began per item, and the items of each batch
  // kept when they leave the list, so a batch can still be reported after Clear finished.
  `
  ALTER TABLE items ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE items ADD COLUMN started_at INTEGER;
  CREATE TABLE history (
    item_id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    path TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT,
    asset_id TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    added_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL
  );
  CREATE INDEX history_by_batch ON history (batch_id);
  `,
  // 8: the index a file goes into after its upload, and where it stands there; each index
  // request is recorded before it is sent, as it is billed.
  `
  ALTER TABLE items ADD COLUMN index_id TEXT;
  ALTER TABLE items ADD COLUMN index_name TEXT;
  ALTER TABLE items ADD COLUMN index_state TEXT;
  ALTER TABLE items ADD COLUMN index_job_id TEXT;
  ALTER TABLE items ADD COLUMN index_message TEXT;
  ALTER TABLE items ADD COLUMN indexed_at INTEGER;
  ALTER TABLE history ADD COLUMN index_id TEXT;
  ALTER TABLE history ADD COLUMN index_name TEXT;
  ALTER TABLE history ADD COLUMN index_state TEXT;
  ALTER TABLE history ADD COLUMN indexed_at INTEGER;
  CREATE INDEX items_by_index_state ON items (index_state) WHERE index_state IS NOT NULL;
  `,
  // 9: how long a file plays, as its check read it: the video minutes a batch will index.
  `
  ALTER TABLE items ADD COLUMN duration_seconds REAL;
  ALTER TABLE history ADD COLUMN duration_seconds REAL;
  `,
  // 10: the files an add skipped (sidecars, links out of the folder, names that cannot be read),
  // so a batch's report accounts for every file that was added.
  `
  CREATE TABLE skipped (
    id TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    path TEXT NOT NULL,
    relative_path TEXT NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX skipped_by_batch ON skipped (batch_id);
  `,
  // 11: the upload copy planned for a file TwelveLabs will not take as it is, and once made, where.
  `ALTER TABLE items ADD COLUMN upload_copy TEXT;`,
  // 12: a file that went as an upload copy says so in its batch's report after it leaves the list.
  `ALTER TABLE history ADD COLUMN upload_copy TEXT;`,
  // 13: the waiting line, for the files waiting their turn (or paused) that memory does not
  // hold: its front in queue order, and a file's twins in it for the duplicate check.
  `
  CREATE INDEX items_queued_by_position ON items (position) WHERE state = 'queued';
  CREATE INDEX items_waiting_by_hash ON items (sha256) WHERE state IN ('queued', 'paused');
  `,
  // 14: the window's list is read from here a page at a time: each file's folder (By folder), its
  // place folded for search, and its name as the name sort orders it (rows from before are given
  // theirs at open; the partial index finds them); the chips' counts from the state index alone,
  // and the watched folders' files by folder.
  `
  ALTER TABLE items ADD COLUMN folder TEXT;
  ALTER TABLE items ADD COLUMN search_text TEXT;
  ALTER TABLE items ADD COLUMN name_key TEXT;
  CREATE INDEX items_by_folder ON items (folder, watch_folder, state, index_state, retryable, position);
  CREATE INDEX items_by_state ON items (state, retryable, index_state);
  CREATE INDEX items_by_watch_folder ON items (watch_folder, position) WHERE watch_folder IS NOT NULL;
  CREATE INDEX items_without_keys ON items (id) WHERE name_key IS NULL;
  `,
];

/**
 * A name as the name sort orders it, by byte: without accents, case or leading zeros, and each
 * run of digits as long as any, so "clip 2" comes before "clip 10" as people count.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(20, '0'));
}

/** What the window's queries read of a file's place: its folder, its place to search, its name's key. */
function placeKeys(relativePath: string): [string, string, string] {
  return [folderOf(relativePath), foldForSearch(relativePath), nameKey(nameOf(relativePath))];
}

/** The finished states, as SQL: a file in one has its outcome and the time it was reached. */
const FINISHED = sqlKinds((facts) => facts.finished);
/**
 * Rows the engine would let go as soon as it read them (`settles` in the item table): finished,
 * in no index, and not a copy waiting for another's asset. A restart counts them in SQL.
 */
const SETTLED = `state IN ${FINISHED} AND index_state IS NULL AND NOT (state = 'duplicate' AND asset_id IS NULL)`;

/**
 * Every file of a batch as the report gives it: those in the list now, those cleared since, and
 * those the add skipped (three parameters: the batch each time).
 */
const REPORT_SQL = `
  SELECT id AS itemId, path, relative_path AS relativePath, size, sha256, asset_id AS assetId, state,
    COALESCE(reason_message || COALESCE(' (' || reason_detail || ')', ''), NULL) AS reason,
    added_at AS addedAt, started_at AS startedAt,
    CASE WHEN state IN ${FINISHED} THEN updated_at END AS finishedAt,
    attempts, index_id AS indexId, index_name AS indexName, index_state AS indexState, indexed_at AS indexedAt,
    upload_copy AS copy
  FROM items WHERE batch_id = ?
  UNION ALL
  SELECT item_id, path, relative_path, size, sha256, asset_id, state, reason, added_at, started_at,
    finished_at, attempts, index_id, index_name, index_state, indexed_at, upload_copy
  FROM history WHERE batch_id = ? AND item_id NOT IN (SELECT id FROM items)
  UNION ALL
  SELECT id, path, relative_path, NULL, NULL, NULL, 'skipped', reason, at, NULL, at, 0, NULL, NULL, NULL, NULL, NULL
  FROM skipped WHERE batch_id = ?`;

type StoredReportRow = Omit<ReportRow, 'uploadCopy'> & { copy: string | null };

function reportRowOf({ copy, ...row }: StoredReportRow): ReportRow {
  return {
    ...row,
    ...(row.state === 'skipped' && { reason: SKIP_WORDS[row.reason as SkipReason]?.() ?? row.reason }),
    // What was sent in its place, for a file sent as an upload copy (planned only: not sent).
    uploadCopy: copy && ['processing', 'ready'].includes(row.state) ? copyRecipe(JSON.parse(copy) as UploadCopy) : null,
  };
}

/** A file an add skipped, as the batch's report keeps it. */
export interface SkippedRecord {
  readonly path: string;
  readonly relativePath: string;
  readonly reason: SkipReason;
}

/** An item as the journal keeps it: the public view plus what only the engine needs. */
export interface JournalItem extends UploadItem {
  readonly mtimeMs: number;
  readonly mime: string;
  readonly userMetadata: Readonly<Record<string, string | number | boolean>>;
  readonly position: number;
  readonly attemptStartedAt: number | null;
  /** SHA-256 of the content, once the check has read it (null when duplicate detection is off). */
  readonly sha256: string | null;
}

/** Ids in groups small enough for one `IN (...)` (SQLite takes up to 32,766 parameters). */
function inParts(ids: readonly string[], size = 500): string[][] {
  const parts: string[][] = [];
  for (let start = 0; start < ids.length; start += size) parts.push(ids.slice(start, start + size));
  return parts;
}

/** The part of a journal item every surface sees (the window, the CLI, the hand-over channel). */
export function publicItem(item: JournalItem, bytesSent = item.bytesSent): UploadItem {
  return {
    id: item.id,
    batchId: item.batchId,
    path: item.path,
    relativePath: item.relativePath,
    name: item.name,
    // What is sent: the upload copy, once it is made, in its original's place.
    size: item.copy?.made?.size ?? item.size,
    kind: item.kind,
    strategy: item.strategy,
    status: item.status,
    bytesSent,
    ...(item.notice !== undefined && { notice: item.notice }),
    ...(item.watchFolder !== undefined && { watchFolder: item.watchFolder }),
    position: item.position,
    addedAt: item.addedAt,
    updatedAt: item.updatedAt,
    ...(item.index !== undefined && { index: item.index }),
    // Where the copy sits in the cache is the engine's business, not a row's.
    ...(item.copy !== undefined && { copy: withoutMade(item.copy) }),
  };
}

function withoutMade({ made: _made, ...copy }: UploadCopy): UploadCopy {
  return copy;
}

export interface MultipartSession {
  readonly itemId: string;
  readonly uploadId: string;
  readonly assetId: string;
  readonly chunkSize: number;
  readonly totalChunks: number;
  readonly expiresAt: number;
  readonly createdAt: number;
}

export interface ChunkRecord {
  readonly index: number;
  readonly etag: string;
  readonly size: number;
  readonly reported: boolean;
}

interface ItemRow {
  id: string;
  batch_id: string;
  path: string;
  relative_path: string;
  size: number;
  mtime_ms: number;
  kind: MediaKind;
  mime: string;
  strategy: UploadStrategy;
  state: UploadStatus['kind'];
  reason_code: string | null;
  reason_message: string | null;
  reason_detail: string | null;
  retryable: number;
  asset_id: string | null;
  bytes_sent: number;
  attempt_started_at: number | null;
  user_metadata: string | null;
  position: number;
  added_at: number;
  updated_at: number;
  notice: string | null;
  sha256: string | null;
  watch_folder: string | null;
  index_id: string | null;
  index_name: string | null;
  index_state: IndexState | null;
  index_job_id: string | null;
  index_message: string | null;
  indexed_at: number | null;
  duration_seconds: number | null;
  upload_copy: string | null;
}

function indexOf(row: ItemRow): ItemIndex | undefined {
  if (row.index_id === null || row.index_state === null) return undefined;
  return {
    id: row.index_id,
    name: row.index_name ?? row.index_id,
    state: row.index_state,
    ...(row.index_job_id !== null && { jobId: row.index_job_id }),
    ...(row.index_message !== null && { message: row.index_message }),
    ...(row.indexed_at !== null && { indexedAt: row.indexed_at }),
  };
}

/** The states that are their kind alone, one shared object each: a million queued rows hold one. */
const BARE_STATUS = Object.fromEntries(
  (['checking', 'copying', 'queued', 'uploading', 'paused', 'file-missing', 'cancelled'] as const).map((kind) => [
    kind,
    Object.freeze({ kind }),
  ]),
) as Readonly<
  Record<'checking' | 'copying' | 'queued' | 'uploading' | 'paused' | 'file-missing' | 'cancelled', UploadStatus>
>;

/** No metadata, shared by every row that has none. */
const NO_METADATA: UserMetadata = Object.freeze({});

function statusOf(row: ItemRow): UploadStatus {
  switch (row.state) {
    case 'checking':
    case 'copying':
    case 'queued':
    case 'uploading':
    case 'paused':
    case 'file-missing':
    case 'cancelled':
      return BARE_STATUS[row.state];
    case 'processing':
    case 'ready':
      return { kind: row.state, assetId: once(row.asset_id ?? '') };
    case 'rejected':
      return {
        kind: 'rejected',
        code: row.reason_code ?? 'unknown',
        message: row.reason_message ?? m.status_rejected(),
        ...(row.reason_detail !== null && { detail: row.reason_detail }),
      };
    case 'duplicate':
      // Every copy of one photo is a duplicate of the same asset, by the same name: one string each.
      return {
        kind: 'duplicate',
        assetId: row.asset_id === null ? null : once(row.asset_id),
        of: once(row.reason_message ?? ''),
      };
    case 'failed':
      return {
        kind: 'failed',
        code: row.reason_code ?? 'unknown',
        message: row.reason_message ?? m.status_failed(),
        ...(row.reason_detail !== null && { detail: row.reason_detail }),
        retryable: row.retryable === 1,
        // Only a processing failure leaves an asset behind; other failures keep no id.
        ...(row.reason_code === 'processing_failed' && row.asset_id !== null && { assetId: row.asset_id }),
      };
    default:
      return assertNever(row.state);
  }
}

/**
 * A row's metadata. Its content hash is the row's own `sha256` string, not a second copy of it: 80
 * bytes a file, which a million queued files feel.
 */
function metadataOf(row: ItemRow): UserMetadata {
  if (!row.user_metadata || row.user_metadata === '{}') return NO_METADATA;
  const metadata = JSON.parse(row.user_metadata) as Record<string, string | number | boolean>;
  if (row.sha256 !== null && metadata[CONTENT_HASH_KEY] === row.sha256) metadata[CONTENT_HASH_KEY] = row.sha256;
  return metadata;
}

function itemOf(row: ItemRow): JournalItem {
  const index = indexOf(row);
  const name = nameOf(row.relative_path);
  return {
    id: row.id,
    batchId: once(row.batch_id),
    path: row.path,
    relativePath: row.relative_path,
    name,
    size: row.size,
    kind: once(row.kind),
    strategy: once(row.strategy),
    status: statusOf(row),
    bytesSent: row.bytes_sent,
    ...(row.notice !== null && { notice: row.notice }),
    ...(row.watch_folder !== null && { watchFolder: row.watch_folder }),
    addedAt: row.added_at,
    updatedAt: row.updated_at,
    mtimeMs: row.mtime_ms,
    mime: once(row.mime),
    userMetadata: metadataOf(row),
    position: row.position,
    attemptStartedAt: row.attempt_started_at,
    sha256: row.sha256,
    ...(index !== undefined && { index }),
    ...(row.duration_seconds !== null && { durationSeconds: row.duration_seconds }),
    ...(row.upload_copy !== null && { copy: JSON.parse(row.upload_copy) as UploadCopy }),
  };
}

/**
 * A batch as people name it, from what it was made of: the folder added ("Day 2"), two folders
 * ("Day 2 and Day 3"), more ("Day 2, Day 3 and 2 more"), or, for files and links added on their
 * own, how many ("12 files", "3 links").
 */
function batchName(parts: readonly { top: string; n: number }[]): string {
  const folders = parts
    .filter((part) => part.top !== '' && part.top !== '/link')
    .sort((a, b) => b.n - a.n)
    .map((part) => part.top);
  const count = (top: string, words: (count: { count: number; n: string }) => string) => {
    const n = parts.find((part) => part.top === top)?.n ?? 0;
    return n > 0 ? [words(counted(n))] : [];
  };
  const named =
    folders.length <= 2 ? folders : [...folders.slice(0, 2), m.batch_more_folders(counted(folders.length - 2))];
  return formatList([...named, ...count('', m.count_files), ...count('/link', m.batch_links)]);
}

/** What a new queue entry needs; the journal fills in the rest. */
export interface NewItem {
  readonly id: string;
  readonly batchId: string;
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: MediaKind;
  readonly mime: string;
  readonly strategy: UploadStrategy;
  readonly userMetadata: Readonly<Record<string, string | number | boolean>>;
  /** 'checking' when the engine reads each file before uploading it. */
  readonly status: 'checking' | 'queued';
  /** The watched folder it came from. */
  readonly watchFolder?: string;
  /** The index it goes into once uploaded. */
  readonly index?: IndexChoice;
}

/** What a finished check changes about an item. */
export interface CheckedFacts {
  readonly kind: MediaKind;
  readonly strategy: UploadStrategy;
  readonly sha256: string | null;
  readonly notice: string | null;
  readonly userMetadata: Readonly<Record<string, string | number | boolean>>;
  readonly durationSeconds?: number;
  /** The upload copy to go in the file's place (or offered), or null for none. */
  readonly copy: UploadCopy | null;
}

/**
 * The durable upload queue in SQLite: items with their states and reasons, multipart sessions,
 * and every chunk's ETag the moment it is known. Everything the engine needs after a crash.
 */
export class Journal {
  /** Bumped by every write that may change what the window's queries count or how they order. */
  #version = 0;
  readonly #written = new Set<() => void>();

  private constructor(private readonly db: Database) {}

  static async open(path: string): Promise<Journal> {
    const journal = new Journal(await openDatabase(path, MIGRATIONS));
    try {
      await journal.#fillPlaceKeys();
    } catch (error) {
      await journal.close().catch(() => undefined);
      throw error;
    }
    return journal;
  }

  /** An item as stored, from a whole row read with `read` (`SELECT *`). */
  static item(row: object): JournalItem {
    return itemOf(row as ItemRow);
  }

  /**
   * Rows of a read-only query over `items`: the window's pages (`queue-pages.ts`) build their
   * own, from the columns the schema above names.
   */
  read<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  /**
   * Keeps the files cleared for Undo (none: null) in this connection's `temp.cleared`, which the
   * window's reads leave out by its index instead of being handed every id each time.
   */
  async setCleared(ids: ReadonlySet<string> | null): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.exec('CREATE TEMP TABLE IF NOT EXISTS cleared (id TEXT PRIMARY KEY) WITHOUT ROWID');
      await this.db.run('DELETE FROM temp.cleared');
      if (ids && ids.size > 0)
        await this.db.run('INSERT OR IGNORE INTO temp.cleared (id) SELECT value FROM json_each(?)', [
          JSON.stringify([...ids]),
        ]);
    });
  }

  /** Counts the writes that may change the window's numbers or order (see `onWrite`). */
  get version(): number {
    return this.#version;
  }

  /** Calls `listener` after each write that bumps `version`; returns the way to stop. */
  onWrite(listener: () => void): () => void {
    this.#written.add(listener);
    return () => this.#written.delete(listener);
  }

  #wrote(): void {
    this.#version += 1;
    for (const listener of this.#written) listener();
  }

  /** Gives rows written before the window read its list here their place keys, a page at a time. */
  async #fillPlaceKeys(): Promise<void> {
    for (;;) {
      const rows = await this.db.all<{ id: string; relative_path: string }>(
        'SELECT id, relative_path FROM items WHERE name_key IS NULL LIMIT 5000',
      );
      if (rows.length === 0) return;
      await this.db.transaction(async () => {
        for (const row of rows)
          await this.db.run('UPDATE items SET folder = ?, search_text = ?, name_key = ? WHERE id = ?', [
            ...placeKeys(row.relative_path),
            row.id,
          ]);
      });
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Whether the journal can be written again after a storage failure: a write that needs new room
   * in the file (64 KiB), taken back at once.
   */
  async canWrite(): Promise<boolean> {
    try {
      await this.db.run('INSERT INTO write_probe (room) VALUES (zeroblob(65536))');
      await this.db.run('DELETE FROM write_probe');
      return true;
    } catch {
      return false;
    }
  }

  healthy(): Promise<boolean> {
    return quickCheck(this.db);
  }

  /**
   * Copies what can still be read from a damaged journal into this (new) one: the queue's items
   * and the memory of what was uploaded. Multipart progress is not trusted from a damaged file, so
   * those files start again from the beginning. Returns how many items came back (0 when the old
   * file gives up nothing).
   */
  async recoverFrom(path: string): Promise<number> {
    try {
      await this.db.run('ATTACH DATABASE ? AS old', [path]);
    } catch {
      return 0;
    }
    try {
      const recovered = await this.db.transaction(async () => {
        // By name, the columns both have: a file from an older version has fewer (the new ones
        // are filled below or keep their defaults).
        const columns = (
          await this.db.all<{ name: string }>('SELECT name FROM pragma_table_info(?, ?)', ['items', 'old'])
        )
          .map((column) => `"${column.name}"`)
          .join(', ');
        const { changes } = await this.db.run(
          `INSERT OR IGNORE INTO items (${columns}) SELECT ${columns} FROM old.items`,
        );
        await this.db.run("UPDATE items SET state = 'queued', bytes_sent = 0 WHERE state = 'uploading'");
        await this.db.run(
          "UPDATE items SET bytes_sent = 0 WHERE strategy = 'multipart' AND state NOT IN ('processing', 'ready')",
        );
        return changes;
      });
      await this.#fillPlaceKeys();
      this.#wrote();
      // Apart: a damaged page here must not undo the items recovered above.
      await this.db
        .transaction(() => this.db.run('INSERT OR IGNORE INTO uploaded SELECT * FROM old.uploaded'))
        .catch(() => undefined);
      return recovered;
    } catch {
      return 0;
    } finally {
      await this.db.run('DETACH DATABASE old').catch(() => undefined);
    }
  }

  /** Adds items at the end of the queue, in the order given, and returns them as stored. */
  async addItems(items: readonly NewItem[], now: number): Promise<JournalItem[]> {
    if (items.length === 0) return [];
    const added = await this.db.transaction(async () => {
      const last = await this.db.get<{ position: number | null }>('SELECT MAX(position) AS position FROM items');
      let position = (last?.position ?? 0) + 1;
      const stored: JournalItem[] = [];
      for (const item of items) {
        await this.#insert(item, position, now);
        const { index, ...rest } = item;
        stored.push({
          ...rest,
          ...(index && { index: { ...index, state: 'waiting' as const } }),
          name: nameOf(item.relativePath),
          status: { kind: item.status },
          bytesSent: 0,
          addedAt: now,
          updatedAt: now,
          position,
          attemptStartedAt: null,
          sha256: null,
        });
        position += 1;
      }
      return stored;
    });
    this.#wrote();
    return added;
  }

  /**
   * The other parts of a split programme, each at its place after the first and checked as it
   * was, with its own stretch of the plan, identity and state, in one go: a kill never leaves
   * half a split.
   */
  async addParts(parts: readonly JournalItem[], now: number): Promise<void> {
    await this.db.transaction(async () => {
      for (const part of parts) {
        await this.#insert({ ...part, status: 'checking' }, part.position, now);
        await this.setChecked(part.id, { ...part, notice: part.notice ?? null, copy: part.copy ?? null });
        await this.#writeStatus([part.id], part.status, now);
      }
    });
    this.#wrote();
  }

  async #insert(item: NewItem, position: number, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO items (id, batch_id, path, relative_path, size, mtime_ms, kind, mime, strategy, state,
         user_metadata, position, added_at, updated_at, watch_folder, index_id, index_name, index_state,
         folder, search_text, name_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        item.id,
        item.batchId,
        item.path,
        item.relativePath,
        item.size,
        item.mtimeMs,
        item.kind,
        item.mime,
        item.strategy,
        item.status,
        JSON.stringify(item.userMetadata),
        position,
        now,
        now,
        item.watchFolder ?? null,
        item.index?.id ?? null,
        item.index?.name ?? null,
        item.index ? 'waiting' : null,
        ...placeKeys(item.relativePath),
      ],
    );
  }

  async items(): Promise<JournalItem[]> {
    return (await this.db.all<ItemRow>('SELECT * FROM items ORDER BY position')).map(itemOf);
  }

  /**
   * The items in queue order, a page at a time: a reader over a large queue holds one page of
   * rows at once, not every row, and costs one query per page (by the position index), not one
   * per row. `unsettled` leaves out the rows `settledCounts` counts.
   */
  async *itemPages(size = 5_000, options: { readonly unsettled?: boolean } = {}): AsyncGenerator<JournalItem[]> {
    const only = options.unsettled ? `AND NOT (${SETTLED})` : '';
    let after: { position: number; key: number } | null = null;
    for (;;) {
      const rows: (ItemRow & { row_key: number })[] = await this.db.all<ItemRow & { row_key: number }>(
        `SELECT rowid AS row_key, * FROM items WHERE ${after ? '(position, rowid) > (?, ?)' : 'true'} ${only}
           ORDER BY position, rowid LIMIT ?`,
        after ? [after.position, after.key, size] : [size],
      );
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      after = { position: last.position, key: last.row_key };
      yield rows.map(itemOf);
      if (rows.length < size) return;
    }
  }

  /** Per state, the rows a restart need not read (see `SETTLED`): how many, their size and bytes sent. */
  settledCounts(): Promise<{ kind: UploadStatusKind; count: number; size: number; bytesSent: number }[]> {
    return this.db.all(
      `SELECT state AS kind, COUNT(*) AS count, SUM(size) AS size, SUM(bytes_sent) AS bytesSent
         FROM items WHERE ${SETTLED} GROUP BY state`,
    );
  }

  /** The same items one at a time, read as they are used (the CLI's status of a million files). */
  async *itemStream(): AsyncGenerator<JournalItem> {
    for await (const row of this.db.iterate<ItemRow>('SELECT * FROM items ORDER BY position')) yield itemOf(row);
  }

  async item(id: string): Promise<JournalItem | undefined> {
    const row = await this.db.get<ItemRow>('SELECT * FROM items WHERE id = ?', [id]);
    return row && itemOf(row);
  }

  /** These items, where they are listed, in the order they came. */
  itemsById(ids: readonly string[]): Promise<JournalItem[]> {
    return this.#itemsWith('id', ids);
  }

  /** The items listed for these files (by the path index), each path's in the order they came. */
  itemsAt(paths: readonly string[]): Promise<JournalItem[]> {
    return this.#itemsWith('path', [...new Set(paths)]);
  }

  /** The items whose `column` is one of `values`: a statement per 500, not one per item. */
  async #itemsWith(column: 'id' | 'path', values: readonly string[]): Promise<JournalItem[]> {
    const items: JournalItem[] = [];
    for (const part of inParts(values)) {
      const marks = part.map(() => '?').join(',');
      const rows = await this.db.all<ItemRow>(`SELECT * FROM items WHERE ${column} IN (${marks}) ORDER BY rowid`, part);
      for (const row of rows) items.push(itemOf(row));
    }
    return items;
  }

  /**
   * The items in any of `kinds`, whose index stands in any of `indexStates`, or of the batch
   * `batchId`, `size` at a time in the order they came.
   */
  async *itemsWhere(
    where: {
      readonly kinds?: readonly UploadStatusKind[];
      readonly indexStates?: readonly IndexState[];
      readonly batchId?: string;
    },
    size = 5_000,
  ): AsyncGenerator<JournalItem[]> {
    const [column, values] = where.kinds
      ? ['state', where.kinds]
      : where.batchId !== undefined
        ? ['batch_id', [where.batchId]]
        : ['index_state', where.indexStates ?? []];
    if (values.length === 0) return;
    let after = -1;
    for (;;) {
      const rows = await this.db.all<ItemRow & { row_key: number }>(
        `SELECT rowid AS row_key, * FROM items WHERE ${column} IN (${values.map(() => '?').join(',')}) AND rowid > ?
           ORDER BY rowid LIMIT ?`,
        [...values, after, size],
      );
      if (rows.length === 0) return;
      after = rows.at(-1)!.row_key;
      yield rows.map(itemOf);
    }
  }

  /** Up to `limit` files waiting their turn, in queue order from `position` on (by its partial index). */
  async queuedFrom(position: number, limit: number): Promise<JournalItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT * FROM items WHERE state = 'queued' AND position >= ? ORDER BY position, rowid LIMIT ?`,
      [position, limit],
    );
    return rows.map(itemOf);
  }

  /** Files waiting their turn or paused whose content hashes to `sha256`, in queue order (a few). */
  async waitingWith(sha256: string, limit: number): Promise<JournalItem[]> {
    const rows = await this.db.all<ItemRow>(
      `SELECT * FROM items WHERE state IN ('queued', 'paused') AND sha256 = ? ORDER BY position LIMIT ?`,
      [sha256, limit],
    );
    return rows.map(itemOf);
  }

  /** The place of the first item after `position` in the queue, if any. */
  async positionAfter(position: number): Promise<number | undefined> {
    const row = await this.db.get<{ position: number }>(
      'SELECT position FROM items WHERE position > ? ORDER BY position LIMIT 1',
      [position],
    );
    return row?.position;
  }

  /** One status for many items: a statement per 500 ids, not one per item (10,000 cancels at once). */
  async setStatuses(ids: readonly string[], status: UploadStatus, now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async () => {
      for (const part of inParts(ids)) await this.#writeStatus(part, status, now);
    });
  }

  async setStatus(id: string, status: UploadStatus, now: number): Promise<void> {
    await this.#writeStatus([id], status, now);
  }

  async #writeStatus(ids: readonly string[], status: UploadStatus, now: number): Promise<void> {
    const failed = status.kind === 'failed' || status.kind === 'rejected' ? status : null;
    const assetId =
      status.kind === 'processing' || status.kind === 'ready' || status.kind === 'duplicate' ? status.assetId : null;
    // Each start of sending is a try, for the batch report; the first one is when it started.
    const tried = status.kind === 'uploading' ? ', attempts = attempts + 1, started_at = COALESCE(started_at, ?)' : '';
    await this.db.run(
      `UPDATE items SET state = ?, reason_code = ?, reason_message = ?, reason_detail = ?, retryable = ?,
         asset_id = COALESCE(?, asset_id), updated_at = ?${tried} WHERE id IN (${ids.map(() => '?').join(',')})`,
      [
        status.kind,
        failed?.code ?? null,
        failed?.message ?? (status.kind === 'duplicate' ? status.of : null),
        failed?.detail ?? null,
        status.kind === 'failed' && status.retryable ? 1 : 0,
        assetId,
        now,
        ...(tried ? [now] : []),
        ...ids,
      ],
    );
    this.#wrote();
  }

  /** A new version of the file: new size and time, and whatever was sent of the old one is void. */
  async updateFileFacts(id: string, size: number, mtimeMs: number): Promise<void> {
    await this.db.run('UPDATE items SET size = ?, mtime_ms = ?, bytes_sent = 0 WHERE id = ?', [size, mtimeMs, id]);
    this.#wrote();
  }

  /** Records what a check found, before the item's new status is set. */
  async setChecked(id: string, facts: CheckedFacts): Promise<void> {
    await this.db.run(
      'UPDATE items SET kind = ?, strategy = ?, sha256 = ?, notice = ?, user_metadata = ?, duration_seconds = ?, upload_copy = ? WHERE id = ?',
      [
        facts.kind,
        facts.strategy,
        facts.sha256,
        facts.notice,
        JSON.stringify(facts.userMetadata),
        facts.durationSeconds ?? null,
        facts.copy && JSON.stringify(facts.copy),
        id,
      ],
    );
    this.#wrote();
  }

  /** The upload copy as it stands now (made, or made again), with the way it will be sent. */
  async setCopy(id: string, copy: UploadCopy, strategy: UploadStrategy): Promise<void> {
    await this.db.run('UPDATE items SET upload_copy = ?, strategy = ? WHERE id = ?', [
      JSON.stringify(copy),
      strategy,
      id,
    ]);
    this.#wrote();
  }

  /** Remembers content this machine has uploaded, so the same file is not uploaded twice. */
  async noteUploaded(sha256: string, assetId: string, name: string, at: number): Promise<void> {
    await this.db.run('INSERT OR REPLACE INTO uploaded (sha256, asset_id, name, uploaded_at) VALUES (?, ?, ?, ?)', [
      sha256,
      assetId,
      name,
      at,
    ]);
  }

  /** The asset this machine made from the same content, if any. */
  async uploadedAs(sha256: string): Promise<{ assetId: string; name: string } | undefined> {
    const row = await this.db.get<{ asset_id: string; name: string }>(
      'SELECT asset_id, name FROM uploaded WHERE sha256 = ?',
      [sha256],
    );
    return row && { assetId: row.asset_id, name: row.name };
  }

  /** The queue item an asset was uploaded from, while it is still in the list. */
  async itemForAsset(assetId: string): Promise<{ itemId: string; path: string; link: boolean } | undefined> {
    const row = await this.db.get<{ id: string; path: string; strategy: UploadStrategy }>(
      "SELECT id, path, strategy FROM items WHERE asset_id = ? AND state IN ('processing', 'ready') ORDER BY updated_at DESC LIMIT 1",
      [assetId],
    );
    return row && { itemId: row.id, path: row.path, link: row.strategy === 'url' };
  }

  /** An asset deleted from the library no longer counts as uploaded. */
  async forgetAsset(assetId: string): Promise<void> {
    await this.db.run('DELETE FROM uploaded WHERE asset_id = ?', [assetId]);
  }

  /**
   * Where an item stands with its index. `requesting` is written before the request is sent, so
   * that after a crash TwelveLabs is asked whether it arrived before it is ever sent again.
   */
  async setIndex(id: string, index: ItemIndex | null): Promise<void> {
    await this.db.run(
      `UPDATE items SET index_id = ?, index_name = ?, index_state = ?, index_job_id = ?, index_message = ?,
         indexed_at = ? WHERE id = ?`,
      [
        index?.id ?? null,
        index?.name ?? null,
        index?.state ?? null,
        index?.jobId ?? null,
        index?.message ?? null,
        index?.indexedAt ?? null,
        id,
      ],
    );
    this.#wrote();
  }

  async setNotice(id: string, notice: string | null): Promise<void> {
    await this.db.run('UPDATE items SET notice = ? WHERE id = ?', [notice, id]);
  }

  /** Every multipart session the journal knows, to tell the server's orphans from ours. */
  async sessionUploadIds(): Promise<Set<string>> {
    const rows = await this.db.all<{ upload_id: string }>('SELECT upload_id FROM multipart_sessions');
    return new Set(rows.map((row) => row.upload_id));
  }

  async setBytesSent(id: string, bytes: number): Promise<void> {
    await this.db.run('UPDATE items SET bytes_sent = ? WHERE id = ?', [bytes, id]);
  }

  /**
   * Every byte of the file is with TwelveLabs as `assetId`, which is now processing: one write for
   * the bytes, the status and the end of the create attempt (there is nothing left to reconcile).
   */
  async markSent(id: string, assetId: string, bytes: number, now: number): Promise<void> {
    await this.db.run(
      `UPDATE items SET state = 'processing', asset_id = ?, bytes_sent = ?, attempt_started_at = NULL,
         reason_code = NULL, reason_message = NULL, reason_detail = NULL, retryable = 0, updated_at = ? WHERE id = ?`,
      [assetId, bytes, now, id],
    );
    this.#wrote();
  }

  /** Records when a create request began, so a lost response can be reconciled later. */
  async setAttemptStarted(id: string, at: number | null): Promise<void> {
    await this.db.run('UPDATE items SET attempt_started_at = ? WHERE id = ?', [at, id]);
  }

  /** Puts items ahead of everything else, keeping their relative order. */
  async moveToTop(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async () => {
      const first = await this.db.get<{ position: number | null }>('SELECT MIN(position) AS position FROM items');
      let position = (first?.position ?? 0) - ids.length;
      for (const id of ids) {
        await this.db.run('UPDATE items SET position = ? WHERE id = ?', [position, id]);
        position += 1;
      }
    });
    this.#wrote();
  }

  /** Removes items from the list; each is kept in its batch's history first, for the report. */
  async removeItems(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async () => {
      for (const part of inParts(ids)) {
        const marks = part.map(() => '?').join(',');
        await this.db.run(
          `INSERT OR REPLACE INTO history (item_id, batch_id, path, relative_path, size, sha256, asset_id, state,
             reason, added_at, started_at, finished_at, attempts, index_id, index_name, index_state, indexed_at,
             duration_seconds, upload_copy)
           SELECT id, batch_id, path, relative_path, size, sha256, asset_id, state,
             COALESCE(reason_message || COALESCE(' (' || reason_detail || ')', ''), NULL), added_at, started_at,
             CASE WHEN state IN ${FINISHED} THEN updated_at ELSE ? END,
             attempts, index_id, index_name, index_state, indexed_at, duration_seconds, upload_copy
           FROM items WHERE id IN (${marks})`,
          [now, ...part],
        );
        await this.db.run(`DELETE FROM items WHERE id IN (${marks})`, part);
      }
    });
    this.#wrote();
  }

  /** Files an add skipped, with why, kept for the batch's report. */
  async recordSkipped(batchId: string, files: readonly SkippedRecord[], now: number): Promise<void> {
    if (files.length === 0) return;
    await this.db.transaction(async () => {
      for (const file of files) {
        await this.db.run(
          'INSERT INTO skipped (id, batch_id, path, relative_path, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
          [randomUUID(), batchId, file.path, file.relativePath, file.reason, now],
        );
      }
    });
  }

  /** The local path of a file a batch had, in the list, cleared from it, or skipped. */
  async reportedPath(id: string): Promise<string | undefined> {
    const row = await this.db.get<{ path: string }>(
      `SELECT path FROM items WHERE id = ? UNION ALL SELECT path FROM history WHERE item_id = ?
       UNION ALL SELECT path FROM skipped WHERE id = ? LIMIT 1`,
      [id, id, id],
    );
    return row?.path;
  }

  /**
   * Every file of a batch as the report gives it: those in the list now, those cleared since, and
   * those the add skipped (with the skip's words).
   */
  async reportRows(batchId: string): Promise<ReportRow[]> {
    const rows: ReportRow[] = [];
    for await (const row of this.reportStream(batchId)) rows.push(row);
    return rows;
  }

  /** The same rows one at a time, read as they are written out (a report of a million files). */
  async *reportStream(batchId: string): AsyncGenerator<ReportRow> {
    for await (const row of this.db.iterate<StoredReportRow>(`${REPORT_SQL} ORDER BY addedAt, relativePath, itemId`, [
      batchId,
      batchId,
      batchId,
    ]))
      yield reportRowOf(row);
  }

  /** A batch's first `limit` files as the report gives them, and how many it has in all. */
  async reportPage(batchId: string, limit: number): Promise<{ files: ReportRow[]; total: number }> {
    const rows = await this.db.all<StoredReportRow & { total: number }>(
      `SELECT *, COUNT(*) OVER () AS total FROM (${REPORT_SQL}) ORDER BY addedAt, relativePath, itemId LIMIT ?`,
      [batchId, batchId, batchId, limit],
    );
    return { files: rows.map(({ total: _total, ...row }) => reportRowOf(row)), total: rows[0]?.total ?? 0 };
  }

  /** The batches this data folder has seen, newest first, with their items counted by state. */
  async batches(): Promise<BatchRecord[]> {
    const rows = await this.db.all<{
      batchId: string;
      state: UploadStatusKind | 'skipped';
      n: number;
      first: number;
      last: number;
    }>(
      `SELECT batch_id AS batchId, state, COUNT(*) AS n, MIN(added_at) AS first, MAX(updated_at) AS last
       FROM (SELECT batch_id, state, added_at, updated_at FROM items
             UNION ALL SELECT batch_id, state, added_at, finished_at FROM history
               WHERE item_id NOT IN (SELECT id FROM items)
             UNION ALL SELECT batch_id, 'skipped', at, at FROM skipped)
       GROUP BY batch_id, state`,
    );
    const indexed = await this.db.all<{
      batchId: string;
      id: string;
      name: string | null;
      state: IndexState;
      sha256: string | null;
      durationSeconds: number | null;
    }>(
      `SELECT batch_id AS batchId, index_id AS id, index_name AS name, index_state AS state, sha256,
         duration_seconds AS durationSeconds
       FROM (SELECT batch_id, index_id, index_name, index_state, sha256, duration_seconds FROM items
             UNION ALL SELECT batch_id, index_id, index_name, index_state, sha256, duration_seconds FROM history
               WHERE item_id NOT IN (SELECT id FROM items))
       WHERE index_id IS NOT NULL AND index_state IS NOT NULL`,
    );
    // What each batch was made of, as people name it: the folders added (a relative path's first
    // part), files added on their own (no folder part), or links ('/link', which no folder part
    // can be).
    const parts = await this.db.all<{ batchId: string; top: string; n: number }>(
      `SELECT batch_id AS batchId,
         CASE WHEN path LIKE 'http://%' OR path LIKE 'https://%' THEN '/link'
              WHEN instr(relative_path, '/') > 0 THEN substr(relative_path, 1, instr(relative_path, '/') - 1)
              ELSE '' END AS top,
         COUNT(*) AS n
       FROM (SELECT batch_id, path, relative_path FROM items
             UNION ALL SELECT batch_id, path, relative_path FROM history WHERE item_id NOT IN (SELECT id FROM items)
             UNION ALL SELECT batch_id, path, relative_path FROM skipped)
       GROUP BY batch_id, top`,
    );
    const partsBy = new Map<string, { top: string; n: number }[]>();
    for (const part of parts) {
      const list = partsBy.get(part.batchId) ?? [];
      list.push(part);
      partsBy.set(part.batchId, list);
    }
    const indexedBy = new Map<string, typeof indexed>();
    for (const row of indexed) {
      const rows = indexedBy.get(row.batchId) ?? [];
      rows.push(row);
      indexedBy.set(row.batchId, rows);
    }
    const batches = new Map<string, BatchRecord>();
    for (const row of rows) {
      const batch = batches.get(row.batchId) ?? {
        batchId: row.batchId,
        startedAt: row.first,
        lastAt: row.last,
        states: {},
        skipped: 0,
        name: batchName(partsBy.get(row.batchId) ?? []),
        indexes: indexOutcomes(
          (indexedBy.get(row.batchId) ?? []).map((item) => ({
            index: { id: item.id, name: item.name ?? item.id, state: item.state },
            sha256: item.sha256,
            ...(item.durationSeconds !== null && { durationSeconds: item.durationSeconds }),
          })),
        ),
      };
      batches.set(row.batchId, {
        ...batch,
        startedAt: Math.min(batch.startedAt, row.first),
        lastAt: Math.max(batch.lastAt, row.last),
        ...(row.state === 'skipped' ? { skipped: row.n } : { states: { ...batch.states, [row.state]: row.n } }),
      });
    }
    return [...batches.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  async saveSession(session: MultipartSession): Promise<void> {
    await this.db.run(
      `INSERT OR REPLACE INTO multipart_sessions (item_id, upload_id, asset_id, chunk_size, total_chunks, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        session.itemId,
        session.uploadId,
        session.assetId,
        session.chunkSize,
        session.totalChunks,
        session.expiresAt,
        session.createdAt,
      ],
    );
  }

  async session(itemId: string): Promise<MultipartSession | undefined> {
    const row = await this.db.get<{
      item_id: string;
      upload_id: string;
      asset_id: string;
      chunk_size: number;
      total_chunks: number;
      expires_at: number;
      created_at: number;
    }>('SELECT * FROM multipart_sessions WHERE item_id = ?', [itemId]);
    return (
      row && {
        itemId: row.item_id,
        uploadId: row.upload_id,
        assetId: row.asset_id,
        chunkSize: row.chunk_size,
        totalChunks: row.total_chunks,
        expiresAt: row.expires_at,
        createdAt: row.created_at,
      }
    );
  }

  /** For cancelled items: sessions, chunks and progress forgotten, in one transaction. */
  async resetItems(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async () => {
      for (const part of inParts(ids)) {
        const marks = part.map(() => '?').join(',');
        await this.db.run(`DELETE FROM chunks WHERE item_id IN (${marks})`, part);
        await this.db.run(`DELETE FROM multipart_sessions WHERE item_id IN (${marks})`, part);
        await this.db.run(`UPDATE items SET bytes_sent = 0 WHERE id IN (${marks})`, part);
      }
    });
  }

  /** Forgets a session and its chunks, so the file starts from zero next time. */
  async dropSession(itemId: string): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM chunks WHERE item_id = ?', [itemId]);
      await this.db.run('DELETE FROM multipart_sessions WHERE item_id = ?', [itemId]);
    });
  }

  /** Written the moment a chunk's ETag is known: this is what makes a crash cost at most the chunks in flight. */
  async recordChunk(itemId: string, chunk: Omit<ChunkRecord, 'reported'>): Promise<void> {
    await this.db.run(
      'INSERT OR REPLACE INTO chunks (item_id, chunk_index, etag, size, reported) VALUES (?, ?, ?, ?, 0)',
      [itemId, chunk.index, chunk.etag, chunk.size],
    );
  }

  async markReported(itemId: string, indexes: readonly number[]): Promise<void> {
    if (indexes.length === 0) return;
    await this.db.run(
      `UPDATE chunks SET reported = 1 WHERE item_id = ? AND chunk_index IN (${indexes.map(() => '?').join(',')})`,
      [itemId, ...indexes],
    );
  }

  async chunks(itemId: string): Promise<ChunkRecord[]> {
    const rows = await this.db.all<{ chunk_index: number; etag: string; size: number; reported: number }>(
      'SELECT chunk_index, etag, size, reported FROM chunks WHERE item_id = ? ORDER BY chunk_index',
      [itemId],
    );
    return rows.map((row) => ({
      index: row.chunk_index,
      etag: row.etag,
      size: row.size,
      reported: row.reported === 1,
    }));
  }

  async forgetChunks(itemId: string, indexes: readonly number[]): Promise<void> {
    if (indexes.length === 0) return;
    await this.db.run(`DELETE FROM chunks WHERE item_id = ? AND chunk_index IN (${indexes.map(() => '?').join(',')})`, [
      itemId,
      ...indexes,
    ]);
  }

  /** What a watched folder has queued, by relative path: its size and modification time then. */
  async watchSeen(folderId: string): Promise<Map<string, { size: number; mtimeMs: number }>> {
    const rows = await this.db.all<{ relative_path: string; size: number; mtime_ms: number }>(
      'SELECT relative_path, size, mtime_ms FROM watch_seen WHERE folder_id = ?',
      [folderId],
    );
    return new Map(rows.map((row) => [row.relative_path, { size: row.size, mtimeMs: row.mtime_ms }]));
  }

  /** Remembers what a watched folder queued, in one transaction for a burst of files. */
  async noteWatchSeen(
    folderId: string,
    files: readonly { relativePath: string; size: number; mtimeMs: number; itemId: string | null }[],
    at: number,
  ): Promise<void> {
    if (files.length === 0) return;
    await this.db.transaction(async () => {
      for (const file of files) {
        await this.db.run(
          `INSERT INTO watch_seen (folder_id, relative_path, size, mtime_ms, item_id, seen_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (folder_id, relative_path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
             item_id = excluded.item_id, seen_at = excluded.seen_at`,
          [folderId, file.relativePath, file.size, file.mtimeMs, file.itemId, at],
        );
      }
    });
  }

  /** The items a watched folder queued that are still in the list. */
  async watchItems(folderId: string): Promise<string[]> {
    const rows = await this.db.all<{ item_id: string }>(
      'SELECT item_id FROM watch_seen WHERE folder_id = ? AND item_id IN (SELECT id FROM items)',
      [folderId],
    );
    return rows.map((row) => row.item_id);
  }
}
