import { describe, expect, it } from 'vitest';
import { ItemTable } from '../../../../electron/core/upload/item-table';
import { journalItem } from '../../../helpers/journal-item';
import type { UploadStatus } from '../../../../electron/shared/uploads';

const item = (id: string, status: UploadStatus) => journalItem(id, status);

describe('the one writer of an item’s state in memory', () => {
  it('makes a move the one table allows, and keeps the indexes the scheduler reads right', () => {
    const table = new ItemTable();
    table.set('a', item('a', { kind: 'queued' }));
    expect(table.queued.has('a')).toBe(true);
    expect(table.move('a', { kind: 'uploading' }, { bytesSent: 10 })).toBe(true);
    expect(table.get('a')).toMatchObject({ status: { kind: 'uploading' }, bytesSent: 10 });
    expect([table.queued.has('a'), table.uploading.has('a')]).toEqual([false, true]);
  });

  it('refuses a move the table does not allow, leaves the item as it was, and says so', () => {
    const refused: string[] = [];
    const table = new ItemTable((id, move) => refused.push(`${id}: ${move}`));
    const done = item('a', { kind: 'ready', assetId: 'asset-1' });
    table.set('a', done);
    expect(table.move('a', { kind: 'uploading' })).toBe(false);
    expect(table.mayMove('a', { kind: 'queued' })).toBe(false);
    expect(table.get('a')).toBe(done);
    expect(refused).toEqual(['a: ready -> uploading', 'a: ready -> queued']);
    // Nothing to move is not a refusal.
    expect(table.move('gone', { kind: 'queued' })).toBe(false);
    expect(refused).toHaveLength(2);
  });

  it('lets a file paused or cancelled just as its last bytes were taken be processing', () => {
    const table = new ItemTable();
    table.set('p', item('p', { kind: 'paused' }));
    table.set('c', item('c', { kind: 'cancelled' }));
    expect(table.move('p', { kind: 'processing', assetId: 'asset-p' })).toBe(true);
    expect(table.move('c', { kind: 'processing', assetId: 'asset-c' })).toBe(true);
  });
});

describe('the queue by path', () => {
  it('finds the rows of a path, oldest first, and forgets one removed', () => {
    const table = new ItemTable();
    table.set('old', {
      ...item('clip', { kind: 'failed', code: 'network', message: 'Lost.', retryable: true }),
      id: 'old',
    });
    table.set('new', { ...item('clip', { kind: 'queued' }), id: 'new' });
    table.set('other', item('other', { kind: 'queued' }));
    expect(table.withPath('/cards/A001/clip.mov').map((found) => found.id)).toEqual(['old', 'new']);
    // The older row changed keeps its place: the newest row of a path is still the newest.
    table.set('old', { ...table.get('old')!, bytesSent: 10 });
    expect(table.withPath('/cards/A001/clip.mov').map((found) => found.id)).toEqual(['old', 'new']);
    table.delete('old');
    expect(table.withPath('/cards/A001/clip.mov').map((found) => found.id)).toEqual(['new']);
    table.delete('new');
    expect(table.withPath('/cards/A001/clip.mov')).toEqual([]);
  });

  it('finds every copy of a content in the order they came, as copies come, change and go', () => {
    const table = new ItemTable();
    const copy = (id: string, sha256: string | null) => ({ ...item(id, { kind: 'queued' }), sha256 });
    const ids = (sha256: string) => [...table.withHash(sha256)].map((found) => found.id);
    for (const id of ['a', 'b', 'c']) table.set(id, copy(id, 'sha-1'));
    expect(ids('sha-1')).toEqual(['a', 'b', 'c']);
    table.delete('b');
    expect(ids('sha-1')).toEqual(['a', 'c']);
    // Read again as another content: it leaves this one's list.
    table.set('a', copy('a', 'sha-2'));
    expect([ids('sha-1'), ids('sha-2')]).toEqual([['c'], ['a']]);
    table.set('b', copy('b', 'sha-1'));
    expect(ids('sha-1')).toEqual(['c', 'b']);
    table.set('c', copy('c', null));
    table.delete('b');
    expect(ids('sha-1')).toEqual([]);
  });

  it('gives the next queued files by their place in the queue, as files come, move up, pause and go', () => {
    const table = new ItemTable();
    let seed = 11;
    const pick = (below: number) => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed % below;
    };
    const kinds = ['queued', 'queued', 'queued', 'paused', 'uploading', 'ready'] as const;
    let place = 0;
    for (let step = 0; step < 2000; step += 1) {
      const id = `f${pick(150)}`;
      const kind = kinds[pick(kinds.length)]!;
      const status: UploadStatus = kind === 'ready' ? { kind, assetId: 'a' } : { kind };
      const before = table.get(id);
      // Mostly keeps its place; sometimes is sent next (a place before every other).
      const position = before && pick(4) > 0 ? before.position : pick(5) === 0 ? -++place : ++place;
      if (pick(10) === 0) table.delete(id);
      else table.set(id, { ...item(id, status), position });
      const skip = `f${pick(150)}`;
      const expected = [...table.queued]
        .filter((each) => each !== skip)
        .sort((a, b) => table.get(a)!.position - table.get(b)!.position)
        .slice(0, 3);
      expect(table.nextQueued(3, (each) => each !== skip)).toEqual(expected);
    }
  });
});

describe('the shelf: waiting files memory lets go', () => {
  const waiting = (id: string, position: number, watchFolder?: string) => ({
    ...item(id, { kind: 'queued' }),
    position,
    ...(watchFolder && { watchFolder }),
  });

  it('gives no held file from the shelf’s place on until the shelf’s front is held again', () => {
    const table = new ItemTable();
    for (let at = 1; at <= 6; at += 1) table.set(`f${at}`, waiting(`f${at}`, at, at > 3 ? '/cards' : undefined));
    table.shelve('f4');
    table.shelve('f5');
    // A file past the shelf's place (moved there, or queued late) waits for the shelf.
    expect([table.shelved, table.shelvedFrom, table.shelvedIn('/cards')]).toEqual([2, 4, 2]);
    expect(table.idle).toBe(false);
    expect(table.nextQueued(10, () => true)).toEqual(['f1', 'f2', 'f3']);
    for (const id of ['f1', 'f2', 'f3']) table.move(id, { kind: 'uploading' });
    expect(table.nextQueued(10, () => true)).toEqual([]);
    // The journal's front read back: f4, with f5 the first left on the shelf.
    table.unshelve([waiting('f4', 4, '/cards')], 5);
    expect([table.shelved, table.shelvedFrom, table.shelvedIn('/cards')]).toEqual([1, 5, 1]);
    expect(table.nextQueued(10, () => true)).toEqual(['f4']);
    table.unshelve([waiting('f5', 5, '/cards'), table.get('f6')!], Infinity);
    expect([table.shelved, table.shelvedFrom, table.shelvedIn('/cards')]).toEqual([0, Infinity, 0]);
    expect(table.nextQueued(10, () => true)).toEqual(['f4', 'f5', 'f6']);
    // Counted all along: the numbers never lost a shelved file.
    expect(table.tally.count('queued')).toBe(3);
  });

  it('shelves only waiting files, and the shelf empties when a file on it is held for an action', () => {
    const table = new ItemTable();
    table.set('up', { ...item('up', { kind: 'uploading' }), position: 1 });
    table.set('w', waiting('w', 2));
    table.shelve('up');
    table.shelve('w');
    expect(table.has('up')).toBe(true);
    expect(table.has('w')).toBe(false);
    table.hold(waiting('w', 2));
    expect([table.shelved, table.shelvedFrom]).toEqual([0, Infinity]);
    expect(table.nextQueued(1, () => true)).toEqual(['w']);
  });
});
