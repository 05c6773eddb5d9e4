import { describe, expect, it } from 'vitest';
import type { WireAssetDetail } from '../../../../electron/core/api/types';
import { FollowThrough } from '../../../../electron/core/upload/follow-through';

/**
 * A client whose list answers are released by the test: the order of events around one check is
 * what is under test, which no real server can be made to keep.
 */
function heldClient() {
  const calls: { ids: string[]; answer: (assets: Partial<WireAssetDetail>[]) => void }[] = [];
  return {
    calls,
    client: {
      listAssets: (query: { assetIds?: string[] }) =>
        new Promise<{ data: WireAssetDetail[] }>((resolve) =>
          calls.push({ ids: query.assetIds ?? [], answer: (assets) => resolve({ data: assets as WireAssetDetail[] }) }),
        ),
      getAsset: () => Promise.reject(new Error('not used')),
    },
  };
}

const until = async (test: () => boolean) => {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 2));
};

describe('FollowThrough', () => {
  it('never records an answer about an asset for an item that has since been followed anew', async () => {
    const { calls, client } = heldClient();
    const finished: [string, string][] = [];
    const follow = new FollowThrough({
      client: client as never,
      gate: { wait: async () => undefined },
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, random: () => 0 },
      now: Date.now,
      intervalMs: 5,
      maxMs: 5,
      finished: async (id, asset) => void finished.push([id, asset._id]),
      lost: async () => undefined,
      held: () => false,
    });
    follow.follow('item', 'old-asset');
    await until(() => calls.length === 1);
    // Retried while the check was out: the item now waits for another asset.
    follow.stop('item');
    follow.follow('item', 'new-asset');
    calls[0]!.answer([{ _id: 'old-asset', status: 'ready' }]);
    await until(() => calls.length === 2);
    expect(finished).toEqual([]);
    expect(calls[1]!.ids).toEqual(['new-asset']);
    calls[1]!.answer([{ _id: 'new-asset', status: 'ready' }]);
    await until(() => finished.length === 1);
    expect(finished).toEqual([['item', 'new-asset']]);
    await follow.close();
  });
});
