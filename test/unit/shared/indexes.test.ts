import { describe, expect, it } from 'vitest';
import {
  indexOutcomes,
  indexPending,
  indexRowWords,
  indexSentence,
  isIndexable,
  pendingCost,
  type ItemIndex,
} from '../../../electron/shared/indexes';
import { hasWorkAhead, rowGroup, type UploadStatus } from '../../../electron/shared/uploads';
import { rowAction } from '../../../electron/shared/upload-status';

const shoot = (state: ItemIndex['state'], message?: string): ItemIndex => ({
  id: 'ix1',
  name: 'Shoot 2026-10',
  state,
  ...(message && { message }),
});
const ready: UploadStatus = { kind: 'ready', assetId: 'a1' };

describe('a file on its way into an index, in every surface’s words', () => {
  it('counts a batch by index in one sentence, the one the rows, the tray and the CLI end with', () => {
    const items = [
      { index: shoot('searchable'), durationSeconds: 61 },
      { index: shoot('searchable'), durationSeconds: 30 },
      { index: shoot('failed', 'too short'), durationSeconds: 2 },
      { index: shoot('skipped'), durationSeconds: 600 },
      { index: shoot('indexing'), durationSeconds: 0.5, sha256: 'abc' },
      // A copy of the one above: one job, billed once.
      { index: shoot('indexing'), durationSeconds: 0.5, sha256: 'abc' },
      {},
    ];
    const [outcome] = indexOutcomes(items);
    // A recording skipped as not a video is not billed, so not counted.
    expect(outcome).toEqual({
      name: 'Shoot 2026-10',
      searchable: 2,
      failed: 1,
      held: 0,
      skipped: 1,
      pending: 2,
      seconds: 93.5,
    });
    // While any are on their way in, what indexing costs, in minutes rounded up as billed.
    expect(pendingCost(outcome!)).toBe(
      '5 videos, 2 minutes of video to index (TwelveLabs bills indexing by the minute)',
    );
    expect(pendingCost({ ...outcome!, pending: 0 })).toBeNull();
    expect(indexSentence(outcome!)).toBe(
      '2 searchable in Shoot 2026-10, 2 still being indexed, 1 could not be indexed, 1 not indexed (not a video)',
    );
    expect(indexOutcomes([{}, {}])).toEqual([]);
  });

  it('counts a still as skipped as soon as its kind is known, before its skip is written', () => {
    const [outcome] = indexOutcomes([
      { index: shoot('waiting'), kind: 'image', durationSeconds: 0 },
      { index: shoot('waiting'), kind: 'video', durationSeconds: 5 },
    ]);
    expect(outcome).toMatchObject({ pending: 1, skipped: 1, seconds: 5 });
  });

  it('keeps a row with the work still ahead until it is searchable, and offers Retry indexing where it helps', () => {
    expect(indexPending(shoot('requesting'))).toBe(true);
    expect(indexPending(shoot('held'))).toBe(false);
    expect(hasWorkAhead({ status: ready, index: shoot('indexing') })).toBe(true);
    expect(hasWorkAhead({ status: ready, index: shoot('searchable') })).toBe(false);
    // Not uploaded: nothing to index yet, and nothing is waited for on its index's account.
    expect(hasWorkAhead({ status: { kind: 'cancelled' }, index: shoot('waiting') })).toBe(false);
    expect(rowGroup({ status: ready, index: shoot('indexing') })).toBe('processing');
    expect(rowGroup({ status: ready, index: shoot('failed') })).toBe('attention');
    expect(rowGroup({ status: ready, index: shoot('held') })).toBe('attention');
    expect(rowGroup({ status: ready, index: shoot('skipped') })).toBe('done');
    expect(rowGroup({ status: ready })).toBe('done');
    expect(rowAction({ status: ready, strategy: 'direct', index: shoot('failed') })).toEqual({
      id: 'retry-indexing',
      label: 'Retry indexing',
    });
    expect(rowAction({ status: ready, strategy: 'direct', index: shoot('searchable') })?.id).toBe('show-asset');
    expect(indexRowWords(shoot('failed', 'this video is 2 seconds long'))).toEqual({
      label: 'Indexing failed',
      detail: 'this video is 2 seconds long',
    });
    expect(indexRowWords(shoot('searchable'))).toEqual({ label: 'Searchable', detail: 'In Shoot 2026-10' });
  });

  it('takes videos only, from one table', () => {
    expect(['video', 'audio', 'image', 'document'].filter((kind) => isIndexable(kind as never))).toEqual(['video']);
  });
});
