import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database, migrate } from '../../../electron/core/store/database';
import { Journal, type NewItem } from '../../../electron/core/upload/journal';
import { tempDir } from '../../helpers/temp-dir';
import { closeAfter } from '../../helpers/cleanup';

function newItem(id: string, path = `/media/${id}.mp4`): NewItem {
  return {
    id,
    batchId: 'batch-1',
    path,
    relativePath: `Day 1/${id}.mp4`,
    size: 1000,
    mtimeMs: 5,
    kind: 'video',
    mime: 'video/mp4',
    strategy: 'multipart',
    userMetadata: { take: 3 },
    status: 'queued',
  };
}

describe('the upload journal (a real SQLite file)', () => {
  it('reads the queue a page at a time in queue order, files sent next first, none twice or missed', async () => {
    const journal = closeAfter(await Journal.open(join(await tempDir(), 'uploads.sqlite')));
    const ids = Array.from({ length: 23 }, (_, n) => `f${n}`);
    await journal.addItems(
      ids.map((id) => newItem(id)),
      1,
    );
    // Sent next: places before every other file (lower, and below zero).
    await journal.moveToTop(['f20', 'f7', 'f13']);
    const paged: string[] = [];
    for await (const page of journal.itemPages(5)) {
      expect(page.length).toBeLessThanOrEqual(5);
      paged.push(...page.map((item) => item.id));
    }
    expect(paged).toEqual((await journal.items()).map((item) => item.id));
    expect(paged.slice(0, 3)).toEqual(['f20', 'f7', 'f13']);
    expect(new Set(paged).size).toBe(23);
  });

  it('reads rows one at a time, and a reader that stops early leaves the database free', async () => {
    const db = closeAfter(await Database.open(join(await tempDir(), 'rows.sqlite')));
    await db.exec('CREATE TABLE n (v INTEGER)');
    await db.transaction(async () => {
      for (let v = 0; v < 1000; v += 1) await db.run('INSERT INTO n VALUES (?)', [v]);
    });
    const seen: number[] = [];
    for await (const row of db.iterate<{ v: number }>('SELECT v FROM n WHERE v >= ? ORDER BY v', [10])) {
      seen.push(row.v);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([10, 11, 12]);
    // The statement was finished: writes and a whole read go on as before.
    await db.run('DELETE FROM n WHERE v < 500');
    let count = 0;
    for await (const _row of db.iterate('SELECT v FROM n')) count += 1;
    expect(count).toBe(500);
  });

  it('keeps items, their states and reasons, sessions and chunk ETags across a reopen', async () => {
    const path = join(await tempDir(), 'uploads.sqlite');
    const journal = closeAfter(await Journal.open(path));
    await journal.addItems([newItem('a'), newItem('b')], 100);
    await journal.setStatus(
      'b',
      {
        kind: 'failed',
        code: 'server_error',
        message: 'TwelveLabs had a problem on its side.',
        detail: 'boom',
        retryable: true,
      },
      200,
    );
    await journal.saveSession({
      itemId: 'a',
      uploadId: 'u1',
      assetId: 'as1',
      chunkSize: 10,
      totalChunks: 100,
      expiresAt: 9e12,
      createdAt: 100,
    });
    await journal.recordChunk('a', { index: 1, etag: 'e1', size: 10 });
    await journal.recordChunk('a', { index: 2, etag: 'e2', size: 10 });
    await journal.markReported('a', [1]);
    await journal.close();

    const reopened = closeAfter(await Journal.open(path));
    const items = await reopened.items();
    expect(items.map((item) => [item.id, item.name, item.status.kind])).toEqual([
      ['a', 'a.mp4', 'queued'],
      ['b', 'b.mp4', 'failed'],
    ]);
    expect(items[0]?.userMetadata).toEqual({ take: 3 });
    expect(items[1]?.status).toEqual({
      kind: 'failed',
      code: 'server_error',
      message: 'TwelveLabs had a problem on its side.',
      detail: 'boom',
      retryable: true,
    });
    expect(await reopened.session('a')).toMatchObject({ uploadId: 'u1', totalChunks: 100 });
    expect(await reopened.chunks('a')).toEqual([
      { index: 1, etag: 'e1', size: 10, reported: true },
      { index: 2, etag: 'e2', size: 10, reported: false },
    ]);
  });

  it('forgets a session with its chunks, and removing an item removes both', async () => {
    const journal = closeAfter(await Journal.open(join(await tempDir(), 'uploads.sqlite')));
    await journal.addItems([newItem('a'), newItem('b')], 1);
    for (const id of ['a', 'b']) {
      await journal.saveSession({
        itemId: id,
        uploadId: `u-${id}`,
        assetId: 'x',
        chunkSize: 1,
        totalChunks: 2,
        expiresAt: 1,
        createdAt: 1,
      });
      await journal.recordChunk(id, { index: 1, etag: 'e', size: 1 });
    }
    await journal.dropSession('a');
    expect(await journal.session('a')).toBeUndefined();
    expect(await journal.chunks('a')).toEqual([]);
    await journal.removeItems(['b'], 2);
    expect(await journal.chunks('b')).toEqual([]);
    expect(await journal.session('b')).toBeUndefined();
  });

  it('keeps queue order, and moves items to the top in the order given', async () => {
    const journal = closeAfter(await Journal.open(join(await tempDir(), 'uploads.sqlite')));
    await journal.addItems([newItem('a'), newItem('b'), newItem('c')], 1);
    await journal.moveToTop(['c', 'b']);
    expect((await journal.items()).map((item) => item.id)).toEqual(['c', 'b', 'a']);
  });

  it('refuses a file written by a newer version instead of guessing', async () => {
    const path = join(await tempDir(), 'uploads.sqlite');
    const db = closeAfter(await Database.open(path));
    await db.exec('PRAGMA user_version = 99');
    await db.close();
    await expect(Journal.open(path)).rejects.toThrow('written by a newer version of the app');
  });

  it('gives the files of a journal from before the window read it their place keys, opened or recovered', async () => {
    // A journal as version 13 left it: without the folder, search text and name key.
    const path = join(await tempDir(), 'uploads.sqlite');
    const old = await Journal.open(path);
    await old.addItems([newItem('Clip 10'), newItem('Überblick'), newItem('Clip 9')], 1);
    await old.close();
    const db = closeAfter(await Database.open(path));
    await db.exec(`
      DROP INDEX items_by_folder; DROP INDEX items_by_state; DROP INDEX items_by_watch_folder;
      DROP INDEX items_without_keys;
      ALTER TABLE items DROP COLUMN folder; ALTER TABLE items DROP COLUMN search_text;
      ALTER TABLE items DROP COLUMN name_key; PRAGMA user_version = 13;`);
    await db.close();
    const keys = (journal: Journal) =>
      journal.read<{ id: string; folder: string; search_text: string }>(
        'SELECT id, folder, search_text FROM items ORDER BY name_key',
      );
    const expected = [
      { id: 'Clip 9', folder: 'Day 1', search_text: 'day 1/clip 9.mp4' },
      { id: 'Clip 10', folder: 'Day 1', search_text: 'day 1/clip 10.mp4' },
      { id: 'Überblick', folder: 'Day 1', search_text: 'day 1/überblick.mp4' },
    ];
    // Recovered into a new journal: the columns both files have, by name, then the keys.
    const fresh = closeAfter(await Journal.open(join(await tempDir(), 'uploads.sqlite')));
    expect(await fresh.recoverFrom(path)).toBe(3);
    expect(await keys(fresh)).toEqual(expected);
    // Opened and brought up to date.
    const opened = closeAfter(await Journal.open(path));
    expect(await keys(opened)).toEqual(expected);
  });

  it('runs each migration once, in order', async () => {
    const db = closeAfter(await Database.open(join(await tempDir(), 'm.sqlite')));
    await migrate(db, ['CREATE TABLE one (x)']);
    await migrate(db, ['CREATE TABLE one (x)', 'CREATE TABLE two (y)']);
    const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables.map((t) => t.name)).toEqual(['one', 'two']);
    expect(await db.get('PRAGMA user_version')).toEqual({ user_version: 2 });
    expect(await db.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
  });
});

describe('one connection, many async paths', () => {
  it('a rollback never undoes a chunk record written beside the transaction', async () => {
    const path = join(await tempDir(), 'uploads.sqlite');
    const journal = closeAfter(await Journal.open(path));
    await journal.addItems([newItem('a'), newItem('b')], 100);
    const db = (journal as unknown as { db: Database }).db;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A transaction that is open for a while and then fails...
    const failing = db
      .transaction(async () => {
        await db.run("UPDATE items SET state = 'paused' WHERE id = 'a'");
        await held;
        throw new Error('disk full');
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // ...while a chunk's ETag arrives on another path.
    const recorded = journal.recordChunk('b', { index: 1, etag: 'etag-1', size: 10 });
    release();
    expect(await failing).toBe('disk full');
    await recorded;
    expect(await journal.chunks('b')).toEqual([{ index: 1, etag: 'etag-1', size: 10, reported: false }]);
    expect((await journal.item('a'))?.status.kind).toBe('queued');
  });

  it('writes a status for 10,000 items as a few statements', async () => {
    const journal = closeAfter(await Journal.open(join(await tempDir(), 'uploads.sqlite')));
    const ids = Array.from({ length: 10_000 }, (_, i) => `item-${i}`);
    await journal.addItems(
      ids.map((id) => newItem(id)),
      1,
    );
    await journal.setStatuses(ids, { kind: 'cancelled' }, 2);
    await journal.resetItems(ids);
    expect((await journal.items()).every((item) => item.status.kind === 'cancelled')).toBe(true);
    await journal.removeItems(ids.slice(0, 9_999), 2);
    expect((await journal.items()).map((item) => item.id)).toEqual(['item-9999']);
  });
});
