import { describe, expect, it } from 'vitest';
import { batchOutcome, outcomeOfStates } from '../../../electron/shared/batch';
import { indexOutcomes, type IndexState, type ItemIndex } from '../../../electron/shared/indexes';
import type { UploadItem, UploadStatus } from '../../../electron/shared/uploads';
import { Ending } from '../../../electron/cli/report';
import { uploadItem } from '../../helpers/upload-item';

const READY: UploadStatus = { kind: 'ready', assetId: 'a' };
const inIndex = (state: IndexState): ItemIndex => ({ id: 'ix', name: 'Archive', state });

/** 2,500 files ending a run: most in, some failed, cancelled or not searchable. */
function files(): UploadItem[] {
  return Array.from({ length: 2500 }, (_, at) => {
    if (at % 500 === 1) return uploadItem(`f${at}.mov`, { kind: 'failed', code: 'x', message: 'x', retryable: true });
    if (at % 500 === 2) return uploadItem(`c${at}.mov`, { kind: 'cancelled' });
    const index = inIndex(at % 500 === 3 ? 'failed' : 'searchable');
    return uploadItem(`r${at}.mov`, READY, { size: 10, index, durationSeconds: 60 });
  });
}

describe("a run's ending, counted as its pages arrive", () => {
  it('says what the whole list says, keeping only the files that did not make it', () => {
    const all = files();
    const ending = new Ending();
    for (let from = 0; from < all.length; from += 1000) ending.add(all.slice(from, from + 1000));

    expect(ending.total).toBe(2500);
    expect(outcomeOfStates(ending.states)).toEqual(batchOutcome(all.map((item) => item.status)));
    expect(ending.ready).toBe(2490);
    expect(ending.bytes).toBe(24_900);
    expect(ending.problems.map((item) => item.name)).toEqual(
      all.filter((item) => ['failed', 'cancelled'].includes(item.status.kind)).map((item) => item.name),
    );
    expect(ending.notIndexed).toHaveLength(5);
    expect(ending.indexes.outcomes()).toEqual(indexOutcomes(all));
    expect(ending.allWentIn).toBe(false);
  });

  it('ends with 0 only when every file is in the library, and searchable where it had an index', () => {
    const ending = new Ending();
    ending.add([uploadItem('a.mov', READY, { index: inIndex('searchable') }), uploadItem('b.jpg', READY)]);
    ending.add([uploadItem('c.mov', { kind: 'duplicate', of: 'a.mov', assetId: 'a' })]);
    expect(ending.allWentIn).toBe(true);
    ending.add([uploadItem('d.mov', READY, { index: inIndex('held') })]);
    expect(ending.allWentIn).toBe(false);
  });
});
