import { describe, expect, it } from 'vitest';
import { NO_OUTCOME, batchOutcome } from '../../../electron/shared/batch';
import {
  batchEnding,
  folderRows,
  listTally,
  shownItems,
  WHOLE_QUEUE,
  type FolderRow,
} from '../../../electron/shared/queue-view';
import type { UploadItem, UploadStatus } from '../../../electron/shared/uploads';
import { uploadItem } from '../../helpers/upload-item';

const QUEUED: UploadStatus = { kind: 'queued' };
const READY: UploadStatus = { kind: 'ready', assetId: 'a' };
const FAILED: UploadStatus = { kind: 'failed', code: 'x', message: 'x', retryable: true };

const names = (items: readonly UploadItem[]) => items.map((each) => each.name);

describe('the files a search and the filters show', () => {
  const queue = [
    uploadItem('Day 2/clip 10.mov', QUEUED, { size: 300 }),
    uploadItem('Day 2/clip 2.mov', READY, { size: 100 }),
    uploadItem('Überblick.mov', FAILED, { size: 300, watchFolder: '/Ingest' }),
    uploadItem('Day 1/clip 1.mov', { kind: 'uploading' }, { size: 200 }),
  ];

  it('is the queue itself, in queue order, when nothing narrows it', () => {
    expect(shownItems(queue, WHOLE_QUEUE)).toBe(queue);
  });

  it('narrows by group, by watched folder and by text in the name or folder, in any case or composition', () => {
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, filter: 'attention' }))).toEqual(['Überblick.mov']);
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, source: '/Ingest' }))).toEqual(['Überblick.mov']);
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, search: ' day 2 ' }))).toEqual(['clip 10.mov', 'clip 2.mov']);
    // Typed decomposed (as macOS keyboards and file names may give it), found composed.
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, search: 'U\u0308BER' }))).toEqual(['Überblick.mov']);
    expect(shownItems(queue, { ...WHOLE_QUEUE, filter: 'done', search: 'day 1' })).toEqual([]);
  });

  it('sorts a copy by name as people count, by size largest first, or by state, ties in queue order', () => {
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, sort: 'name' }))).toEqual([
      'clip 1.mov',
      'clip 2.mov',
      'clip 10.mov',
      'Überblick.mov',
    ]);
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, sort: 'size' }))).toEqual([
      'clip 10.mov',
      'Überblick.mov',
      'clip 1.mov',
      'clip 2.mov',
    ]);
    expect(names(shownItems(queue, { ...WHOLE_QUEUE, sort: 'state' }))).toEqual([
      'Überblick.mov',
      'clip 1.mov',
      'clip 10.mov',
      'clip 2.mov',
    ]);
    expect(names(queue)).toEqual(['clip 10.mov', 'clip 2.mov', 'Überblick.mov', 'clip 1.mov']);
  });
});

describe('the queue grouped by folder', () => {
  const queue = [
    uploadItem('A001/one.mov', READY),
    uploadItem('two.mov', QUEUED),
    uploadItem('A001\\three.mov', FAILED),
    uploadItem('A001/four.mov', QUEUED),
    uploadItem('A001/five.mov', QUEUED, { watchFolder: '/Ingest' }),
  ];

  it('puts a heading with its numbers before each folder’s files, in the order folders first appear', () => {
    const rows = folderRows(queue, new Set());
    const headings = rows.filter((row): row is FolderRow => row.kind === 'folder');
    expect(headings.map((row) => [row.folder, row.watchFolder, row.ids.length])).toEqual([
      ['A001', null, 3],
      ['', null, 1],
      ['A001', '/Ingest', 1],
    ]);
    // A folder written with either separator is one folder.
    expect(headings[0]!.counts).toEqual({ uploading: 0, processing: 0, waiting: 1, attention: 1, done: 1 });
    expect(rows.map((row) => (row.kind === 'folder' ? `# ${row.folder}` : row.name))).toEqual([
      '# A001',
      'one.mov',
      'three.mov',
      'four.mov',
      '# ',
      'two.mov',
      '# A001',
      'five.mov',
    ]);
  });

  it('shows only the heading of a folded folder, which still counts and holds its files', () => {
    const first = folderRows(queue, new Set())[0] as FolderRow;
    const rows = folderRows(queue, new Set([first.id]));
    expect(rows[0]).toMatchObject({ id: first.id, collapsed: true, ids: first.ids });
    expect(rows[1]).toMatchObject({ kind: 'folder', folder: '' });
  });
});

describe('the numbers of the list', () => {
  it('counts each filter chip, the files being checked and the copies to make, in one pass', () => {
    const tally = listTally([
      uploadItem('a.mov', { kind: 'checking' }),
      uploadItem('b.mov', { kind: 'copying' }),
      uploadItem('c.mov', { kind: 'copying' }, { copyProgress: { fraction: 0.5, secondsLeft: 10 } }),
      uploadItem('d.mov', READY),
      uploadItem('e.mov', FAILED),
    ]);
    expect(tally.counts).toEqual({ all: 5, uploading: 2, processing: 0, waiting: 1, attention: 1, done: 1 });
    expect(tally.checking).toBe(1);
    expect(tally.copying).toMatchObject({ count: 2, progress: { fraction: 0.5 } });
    expect(listTally([]).copying).toBeNull();
  });

  it("counts what the whole queue's actions would take, by the table's rules, so every surface offers them alike", () => {
    const tally = listTally([
      uploadItem('a.mov', QUEUED),
      uploadItem('b.mov', { kind: 'copying' }),
      uploadItem('c.mov', { kind: 'paused' }),
      uploadItem('d.mov', FAILED),
      uploadItem('e.mov', { ...FAILED, retryable: false }),
      uploadItem('f.mov', { kind: 'cancelled' }),
      uploadItem('g.mov', READY),
    ]);
    // Pause all: waiting, sending or being copied. Resume all: paused. Retry failed: what failed and
    // may work now; a file cancelled on purpose stays cancelled (a row's Retry takes it).
    expect([tally.pausable, tally.resumable, tally.retryable]).toEqual([2, 1, 1]);
  });

  it('tells a batch’s ending only once nothing is left to happen: what went in and how long it took', () => {
    const going = [uploadItem('a.mov', READY, { addedAt: 1_000, updatedAt: 5_000 }), uploadItem('b.mov', QUEUED)];
    expect(batchEnding(going, batchOutcome(going.map((each) => each.status)))).toBeNull();
    const ended = [
      uploadItem('a.mov', READY, { size: 700, addedAt: 1_000, updatedAt: 5_000 }),
      uploadItem('b.mov', FAILED, { size: 300, addedAt: 2_000, updatedAt: 9_000 }),
    ];
    expect(batchEnding(ended, batchOutcome(ended.map((each) => each.status)))).toMatchObject({
      bytes: 700,
      seconds: 8,
      key: '2:9000',
    });
    expect(batchEnding([], NO_OUTCOME)).toBeNull();
  });
});
