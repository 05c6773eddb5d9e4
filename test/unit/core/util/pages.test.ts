import { describe, expect, it } from 'vitest';
import { pagesOf } from '../../../../electron/core/util/pages';

async function* source(...sizes: number[]): AsyncGenerator<number[]> {
  let next = 0;
  for (const size of sizes) yield Array.from({ length: size }, () => next++);
}

async function said(pages: AsyncIterable<{ items: number[]; more: boolean }>) {
  const out: [number, boolean][] = [];
  for await (const { items, more } of pages) out.push([items.length, more]);
  return out;
}

describe('pagesOf', () => {
  it('says one empty last page when there is nothing', async () => {
    expect(await said(pagesOf(source(), 1000))).toEqual([[0, false]]);
    expect(await said(pagesOf(source(0, 0), 1000))).toEqual([[0, false]]);
  });

  it('cuts pages of any size into pages of its own, only the last without more', async () => {
    expect(await said(pagesOf(source(5000, 2500), 1000))).toEqual([
      ...Array<[number, boolean]>(7).fill([1000, true]),
      [500, false],
    ]);
    expect(await said(pagesOf(source(3, 1, 996, 1000), 1000))).toEqual([
      [1000, true],
      [1000, false],
    ]);
  });

  it('keeps every item once, in order', async () => {
    const items: number[] = [];
    for await (const page of pagesOf(source(7, 0, 13, 2), 4)) items.push(...page.items);
    expect(items).toEqual(Array.from({ length: 22 }, (_, at) => at));
  });

  it('reads a page ahead, never the whole source, before saying the first', async () => {
    let read = 0;
    async function* counted() {
      for await (const page of source(1000, 1000, 1000, 1000)) {
        read += page.length;
        yield page;
      }
    }
    const pages = pagesOf(counted(), 1000);
    await pages.next();
    expect(read).toBe(2000);
  });
});
