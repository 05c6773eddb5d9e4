import { describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/upload/journal';
import { closeAfter } from '../../helpers/cleanup';
import { tempDir } from '../../helpers/temp-dir';
import { join } from 'node:path';

/** One queue entry of a batch, as the journal takes it. */
const entry = (batchId: string, path: string, relativePath: string, n: number) => ({
  id: `${batchId}-${n}`,
  batchId,
  path,
  relativePath,
  size: 1,
  mtimeMs: 0,
  kind: 'video' as const,
  mime: 'video/mp4',
  strategy: 'direct' as const,
  status: 'queued' as const,
  userMetadata: {},
});

describe('a batch is named as people know it', () => {
  it('by the folders added, the files added on their own, or the links', async () => {
    const journal = closeAfter(await Journal.open(join(await tempDir(), 'journal.db')));
    const add = (batchId: string, paths: [string, string][]) =>
      journal.addItems(
        paths.map(([path, relative], n) => entry(batchId, path, relative, n)),
        1,
      );
    await add('one', [
      ['/m/Day 2/a.mov', 'Day 2/a.mov'],
      ['/m/Day 2/A-cam/b.mov', 'Day 2/A-cam/b.mov'],
    ]);
    await add('two', [
      ['/m/Day 2/a.mov', 'Day 2/a.mov'],
      ['/m/Day 3/a.mov', 'Day 3/a.mov'],
      ['/m/Day 3/b.mov', 'Day 3/b.mov'],
    ]);
    await add('many', [
      ['/m/A/a.mov', 'A/a.mov'],
      ['/m/B/a.mov', 'B/a.mov'],
      ['/m/C/a.mov', 'C/a.mov'],
      ['/m/D/a.mov', 'D/a.mov'],
      ['/m/loose.mov', 'loose.mov'],
    ]);
    await add('files', [
      ['/m/x.mov', 'x.mov'],
      ['/m/y.mov', 'y.mov'],
    ]);
    await add('links', [['https://example.com/a.mp4', 'a.mp4']]);
    const names = Object.fromEntries((await journal.batches()).map((batch) => [batch.batchId, batch.name]));
    expect(names).toEqual({
      one: 'Day 2',
      two: 'Day 3 and Day 2',
      many: 'A, B, 2 more, and 1 file',
      files: '2 files',
      links: '1 link',
    });
  });
});
