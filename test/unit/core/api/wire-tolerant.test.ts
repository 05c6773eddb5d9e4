import { describe, expect, it } from 'vitest';
import { parseAssetDetail } from '../../../../electron/core/api/wire';

describe('reading what TwelveLabs sends, tolerantly', () => {
  it('keeps an asset whose fields come in types this app does not expect, instead of failing the upload', () => {
    const unknown: string[] = [];
    const asset = parseAssetDetail(
      {
        _id: 'as_1',
        status: 'ready',
        filename: 42,
        size: '1048576',
        duration: 'about a minute',
        user_metadata: { project: 'Apollo', take: 3, ingest: { tool: 'go-client', v: 2 }, gone: null },
        hls: 'not an object',
        error: ['not', 'an', 'object'],
      },
      (what) => unknown.push(what),
    );
    expect(asset).toMatchObject({
      _id: 'as_1',
      status: 'ready',
      filename: '42',
      size: 1_048_576,
      // Kept as it came, shown as its JSON; a value sent as null is a removed key.
      user_metadata: { project: 'Apollo', take: 3, ingest: '{"tool":"go-client","v":2}' },
    });
    expect(asset).not.toHaveProperty('duration');
    expect(asset).not.toHaveProperty('hls');
    expect(asset).not.toHaveProperty('error');
  });

  it('still refuses an asset without an id, which nothing can be done with', () => {
    expect(() => parseAssetDetail({ status: 'ready' }, () => undefined)).toThrow('an asset without an id');
  });
});
