import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LibraryChanged, LibrarySync } from '../../../electron/shared/library';
import { ok } from '../../../electron/shared/result';
import { LibraryModel } from '../../../renderer/src/lib/library.svelte';
import { fakeBridge } from '../../helpers/fake-bridge';
import { libraryAsset } from '../../helpers/library-asset';

const SYNC: LibrarySync = { syncing: false, syncedAt: 0, offline: false, problem: null, total: 0, indexes: [] };

const asset = (id: string) => libraryAsset(id);

const change = (more: Partial<LibraryChanged>): LibraryChanged => ({
  sync: SYNC,
  assets: [],
  removed: [],
  reset: false,
  ...more,
});

/**
 * A library of `matched` assets of which main sends the first `loaded`, and `matching` as the ids
 * the current query matches in all.
 */
function library(loaded: readonly string[], matched: number, matching: () => readonly string[]) {
  const bridge = fakeBridge({
    'library:list': async () => ok({ assets: loaded.map(asset), matched, sync: SYNC }),
    'library:ids': async () => ok([...matching()]),
  });
  const model = new LibraryModel(bridge.api);
  return { bridge, model, stop: model.start() };
}

afterEach(() => vi.useRealTimers());

describe("the Library screen's model over the bridge", () => {
  it('selects all the query matches, loaded or not, by asking main for the ids, not the pages', async () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    const { bridge, model } = library(['a', 'b'], 5, () => all);
    await vi.waitUntil(() => model.loaded);
    await model.selectAll();
    expect([...model.selected]).toEqual(all);
    expect(bridge.asked().filter((channel) => channel === 'library:list')).toHaveLength(1);
  });

  it('keeps only what a narrower query still matches, so an action never reaches a hidden asset', async () => {
    let matching = ['a', 'b', 'c', 'd', 'e'];
    const { model } = library(['a', 'b'], 5, () => matching);
    await vi.waitUntil(() => model.loaded);
    await model.selectAll();
    matching = ['b', 'e'];
    model.setQuery({ kind: 'video' });
    await vi.waitUntil(() => model.selected.size === 2);
    expect([...model.selected]).toEqual(['b', 'e']);
  });

  it('patches a whole list in place, and a deleted asset leaves the selection', async () => {
    const { bridge, model } = library(['a', 'b'], 2, () => ['a', 'b']);
    await vi.waitUntil(() => model.loaded);
    model.select(['a', 'b']);
    bridge.emit('library:changed', change({ assets: [asset('c')], removed: ['a'] }));
    expect(model.selected).toEqual(new Set(['b']));
    expect(bridge.asked().filter((channel) => channel === 'library:list')).toHaveLength(1);
  });

  it('reads a partly loaded list again once after a burst of changes, since only main knows where they land', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { bridge, model } = library(['a', 'b'], 5, () => ['a', 'b', 'c', 'd', 'e']);
    await vi.waitUntil(() => model.loaded);
    for (const id of ['x', 'y', 'z']) bridge.emit('library:changed', change({ assets: [asset(id)] }));
    expect(bridge.asked().filter((channel) => channel === 'library:list')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(bridge.asked().filter((channel) => channel === 'library:list')).toHaveLength(2);
  });

  it('stops listening when stopped', async () => {
    const { bridge, model, stop } = library([], 0, () => []);
    await vi.waitUntil(() => model.loaded);
    expect(bridge.listening('library:changed')).toBe(1);
    stop();
    expect(bridge.listening('library:changed')).toBe(0);
  });
});
