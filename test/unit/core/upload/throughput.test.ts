import { describe, expect, it } from 'vitest';
import { ChunkBuffers, sliced } from '../../../../electron/core/upload/throughput';

const MiB = 1024 * 1024;

describe('ChunkBuffers', () => {
  it('reuses a buffer given back, and stays within its budget', () => {
    const buffers = new ChunkBuffers(10 * MiB);
    const a = buffers.take(5 * MiB)!;
    const b = buffers.take(5 * MiB)!;
    // The budget is spent: the third chunk streams instead.
    expect(buffers.take(5 * MiB)).toBeNull();
    buffers.give(a);
    // (Identity compared as a boolean: vitest would describe a 5 MiB buffer byte by byte.)
    expect(buffers.take(4 * MiB) === a).toBe(true);
    buffers.discard(b);
    const fresh = buffers.take(5 * MiB);
    expect(fresh !== null && fresh !== b).toBe(true);
  });

  it('frees buffers too small for a new session to make room', () => {
    const buffers = new ChunkBuffers(8 * MiB);
    const small = buffers.take(4 * MiB)!;
    buffers.give(small);
    const large = buffers.take(8 * MiB);
    expect(large?.length).toBe(8 * MiB);
  });
});

describe('sliced', () => {
  it('hands over the bytes in slices, metered, without copying', async () => {
    const bytes = Buffer.alloc(2.5 * MiB, 7);
    const seen: number[] = [];
    const slices: Buffer[] = [];
    for await (const slice of sliced(bytes, { onBytes: (n) => seen.push(n) })) slices.push(slice);
    expect(seen).toEqual([MiB, MiB, MiB / 2]);
    expect(slices[1]!.buffer === bytes.buffer).toBe(true);
    expect(Buffer.concat(slices).equals(bytes)).toBe(true);
  });

  it('aborts with "stalled" when the connection stops taking bytes', async () => {
    const controller = new AbortController();
    const body = sliced(Buffer.alloc(2 * MiB), { onBytes: () => undefined, controller, stallMs: 30 });
    await body.next();
    // Nobody asks for the next slice, as a connection that stopped draining would not.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(controller.signal.reason).toMatchObject({ kind: 'stalled' });
    await body.return(undefined);
  });
});
