import { describe, expect, it } from 'vitest';
import { ItemTable } from '../../../../electron/core/upload/item-table';
import type { JournalItem } from '../../../../electron/core/upload/journal';
import { batchOutcome } from '../../../../electron/shared/batch';
import { indexOutcomes, type IndexState } from '../../../../electron/shared/indexes';
import type { UploadStatus } from '../../../../electron/shared/uploads';
import { journalItem } from '../../../helpers/journal-item';

const STATUSES: readonly UploadStatus[] = [
  { kind: 'checking' },
  { kind: 'copying' },
  { kind: 'queued' },
  { kind: 'uploading' },
  { kind: 'paused' },
  { kind: 'file-missing' },
  { kind: 'processing', assetId: 'a' },
  { kind: 'ready', assetId: 'a' },
  { kind: 'failed', code: 'x', message: 'x', retryable: true },
  { kind: 'rejected', code: 'x', message: 'x' },
  { kind: 'duplicate', assetId: null, of: 'x' },
  { kind: 'cancelled' },
];
const INDEX_STATES: readonly IndexState[] = ['waiting', 'requesting', 'indexing', 'searchable', 'failed', 'held'];

/** A small seeded generator (mulberry32), so a failure is the same on every run. */
function random(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * below);
  };
}

function randomItem(id: string, pick: (below: number) => number): JournalItem {
  const content = pick(20);
  const size = 1000 + pick(9000);
  const index = pick(4);
  return journalItem(id, STATUSES[pick(STATUSES.length)]!, {
    size,
    // Copies of one content are of one kind and one length, as real copies are.
    kind: content % 5 === 0 ? 'image' : 'video',
    durationSeconds: content * 7,
    sha256: content < 15 ? `sha-${content}` : null,
    bytesSent: pick(size),
    ...(index > 0 && { index: { id: `i${index}`, name: `Index ${index}`, state: INDEX_STATES[pick(6)]! } }),
  });
}

/** The numbers read the long way, over every item, as the queue's totals were before. */
function scanned(items: readonly JournalItem[]) {
  const counted = items.filter((item) => !['cancelled', 'rejected', 'duplicate'].includes(item.status.kind));
  const sent = (item: JournalItem) => item.status.kind === 'processing' || item.status.kind === 'ready';
  const going = ['checking', 'copying', 'queued', 'uploading'];
  return {
    files: counted.length,
    filesDone: counted.filter((item) => item.status.kind === 'ready').length,
    filesFailed: counted.filter((item) => item.status.kind === 'failed').length,
    bytes: counted.reduce((sum, item) => sum + item.size, 0),
    bytesDone: counted.reduce(
      (sum, item) => sum + (sent(item) ? item.size : item.status.kind === 'failed' ? 0 : item.bytesSent),
      0,
    ),
    outcome: batchOutcome(items.map((item) => item.status)),
    paused: items.some((item) => going.includes(item.status.kind))
      ? 0
      : items.filter((item) => item.status.kind === 'paused').length,
    indexes: indexOutcomes(items).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

describe('the queue’s running numbers', () => {
  it('say what a scan of the whole queue says, after every add, change and removal', () => {
    const pick = random(30);
    const table = new ItemTable();
    for (let step = 0; step < 3000; step += 1) {
      const id = `f${pick(200)}`;
      if (pick(5) === 0) table.delete(id);
      else table.set(id, randomItem(id, pick));
      const { tally } = table;
      const items = [...table.values()];
      const { bytesOfSent, bytesOnTheWay, bytesFailed, ...bytes } = tally.bytes();
      expect({
        ...bytes,
        bytesDone: bytesOfSent + bytesOnTheWay,
        outcome: tally.outcome(),
        paused: tally.paused(),
        indexes: tally.indexes().sort((a, b) => a.name.localeCompare(b.name)),
      }).toEqual(scanned(items));
      for (const { kind } of STATUSES)
        expect(tally.count(kind)).toBe(items.filter((item) => item.status.kind === kind).length);
      expect(bytesFailed).toBe(
        items.filter((item) => item.status.kind === 'failed').reduce((sum, item) => sum + item.size, 0),
      );
    }
  });

  it('are zero again once every item has left', () => {
    const pick = random(7);
    const table = new ItemTable();
    for (let n = 0; n < 100; n += 1) table.set(`f${n}`, randomItem(`f${n}`, pick));
    for (let n = 0; n < 100; n += 1) table.delete(`f${n}`);
    expect(table.tally.bytes()).toEqual({
      files: 0,
      filesDone: 0,
      filesFailed: 0,
      bytes: 0,
      bytesFailed: 0,
      bytesOfSent: 0,
      bytesOnTheWay: 0,
    });
    expect(table.tally.indexes()).toEqual([]);
    expect(table.tally.outcome().total).toBe(0);
  });
});
