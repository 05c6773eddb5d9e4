/**
 * Pages of `size` from pages of any size, each said with whether more follow: what is read is
 * held until a page is full and one more item has come, so a reader of a million rows holds a
 * page or two, never the list. At least one page comes: an empty one when there is nothing.
 */
export async function* pagesOf<T>(
  source: AsyncIterable<readonly T[]>,
  size: number,
): AsyncGenerator<{ readonly items: T[]; readonly more: boolean }> {
  let held: T[] = [];
  for await (const page of source) {
    held.push(...page);
    while (held.length > size) {
      yield { items: held.slice(0, size), more: true };
      held = held.slice(size);
    }
  }
  yield { items: held, more: false };
}
