import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { m } from '../../shared/i18n';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

/**
 * A small promise API over the `sqlite3` N-API binding (one build serves Node and Electron). The
 * binding runs queries on its own thread, so nothing here blocks the event loop.
 */
export class Database {
  readonly #db: sqlite3.Database;
  #closed: Promise<void> | undefined;
  /** Serialises transactions: sqlite3 has one connection, and interleaved BEGINs would nest. */
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * The open transaction, if any, and the async context its own statements run in. One
   * connection means a statement from elsewhere would otherwise land inside it, and a ROLLBACK
   * would undo that statement too; such statements wait for the transaction to end.
   */
  #open: { readonly token: symbol; readonly done: Promise<unknown> } | null = null;
  readonly #context = new AsyncLocalStorage<symbol>();

  async #outside(): Promise<void> {
    while (this.#open && this.#context.getStore() !== this.#open.token) await this.#open.done.catch(() => undefined);
  }

  private constructor(db: sqlite3.Database) {
    this.#db = db;
  }

  static async open(path: string): Promise<Database> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(path, (error) => (error ? reject(error) : resolve(handle)));
    });
    const database = new Database(db);
    // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes (the
    // case that matters here) at a fraction of FULL's cost per chunk.
    await database.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
    );
    return database;
  }

  async exec(sql: string): Promise<void> {
    await this.#outside();
    return new Promise((resolve, reject) => this.#db.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  async run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    await this.#outside();
    return new Promise((resolve, reject) => {
      this.#db.run(sql, params, function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ changes: this.changes });
      });
    });
  }

  async get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    await this.#outside();
    return new Promise((resolve, reject) =>
      this.#db.get(sql, params, (error, row) => (error ? reject(error) : resolve(row as T | undefined))),
    );
  }

  async all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    await this.#outside();
    return new Promise((resolve, reject) =>
      this.#db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
    );
  }

  /**
   * The rows of `sql` one at a time, each read from SQLite when asked for: a million rows never
   * sit in memory at once, and a slow reader (a pipe) holds the query, not a growing buffer.
   */
  async *iterate<T>(sql: string, params: SqlParams = []): AsyncGenerator<T> {
    await this.#outside();
    const statement = await new Promise<sqlite3.Statement>((resolve, reject) => {
      const prepared = this.#db.prepare(sql, params, (error) => (error ? reject(error) : resolve(prepared)));
    });
    try {
      for (;;) {
        const row = await new Promise<T | undefined>((resolve, reject) =>
          statement.get((error, next) => (error ? reject(error) : resolve(next as T | undefined))),
        );
        if (row === undefined) return;
        yield row;
      }
    } finally {
      await new Promise<void>((resolve) => statement.finalize(() => resolve()));
    }
  }

  /** Runs `work` inside BEGIN/COMMIT, rolling back if it throws. Transactions run one at a time. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(async () => {
      const token = Symbol('transaction');
      const done = this.#context.run(token, () => this.#inTransaction(work));
      this.#open = { token, done };
      try {
        return await done;
      } finally {
        this.#open = null;
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #inTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      await this.exec('COMMIT');
      return result;
    } catch (error) {
      // SQLite may have rolled back already (a full disk, a damaged page): the cause is what
      // matters, not "cannot rollback".
      await this.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Closes once; a second call (a shutdown path and a cleanup both closing) waits for the first. */
  close(): Promise<void> {
    this.#closed ??= new Promise((resolve, reject) => this.#db.close((error) => (error ? reject(error) : resolve())));
    return this.#closed;
  }
}

/**
 * Opens one of the app's SQLite files (the upload journal, the library cache), making its folder
 * first, and brings it to the newest of `migrations`; a file it cannot bring there is closed.
 */
export async function openDatabase(path: string, migrations: readonly string[]): Promise<Database> {
  await mkdir(dirname(path), { recursive: true });
  const db = await Database.open(path);
  try {
    await migrate(db, migrations);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

/**
 * Brings a database to the newest schema. Each migration runs once, in order, in its own
 * transaction; `PRAGMA user_version` records how far a file has come.
 */
export async function migrate(db: Database, migrations: readonly string[]): Promise<void> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  const current = row?.user_version ?? 0;
  if (current > migrations.length) {
    throw new Error(m.store_newer_version({ schema: String(current) }));
  }
  for (let version = current; version < migrations.length; version += 1) {
    await db.transaction(async () => {
      await db.exec(migrations[version]!);
      await db.exec(`PRAGMA user_version = ${version + 1}`);
    });
  }
}
