import { readFile, realpath, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diskOf, DiskReaders, majorMinor } from '../../../../electron/core/media/disks';
import type { ReadersPerDisk } from '../../../../electron/shared/settings';
import { tempDir } from '../../../helpers/temp-dir';
import { until } from '../../../helpers/until';

/** What Linux itself says of the disk under `folder`: spinning (or removable), or not; null if nothing. */
async function linuxSays(folder: string): Promise<boolean | null> {
  const { dev } = await stat(folder, { bigint: true });
  const device = await realpath(`/sys/dev/block/${majorMinor(dev)}`).catch(() => null);
  if (!device) return null;
  for (const at of [device, `${device}/..`]) {
    const rotational = await readFile(`${at}/queue/rotational`, 'utf8').catch(() => null);
    if (rotational !== null) return rotational.trim() === '1' || device.includes('/usb');
  }
  return null;
}

describe('which disk holds a folder', () => {
  it('splits a device number as /sys/dev/block names it', () => {
    expect(majorMinor(65024n)).toBe('254:0');
    expect(majorMinor(2049n)).toBe('8:1');
    expect(majorMinor(26n)).toBe('0:26');
  });

  it.runIf(process.platform === 'linux')('tells the disk under the temp folder from a RAM disk', async () => {
    const [disk, ram] = await Promise.all([diskOf(await tempDir()), diskOf('/dev/shm')]);
    expect(disk.id).not.toBe(ram.id);
    // A RAM disk never seeks; the temp folder's disk is what Linux says it is.
    expect(ram.slow).toBe(false);
    expect(disk.slow).toBe((await linuxSays(await tempDir())) ?? false);
  });

  it('takes a folder that cannot be read as a disk of its own, not a slow one', async () => {
    expect(await diskOf('/nonexistent/card')).toEqual({ id: 'unread:/nonexistent/card', slow: false });
  });
});

describe('readers per disk', () => {
  async function readers(setting: ReadersPerDisk) {
    let found = 0;
    const disks = new DiskReaders(
      () => setting,
      () => (found += 1),
    );
    const here = await tempDir();
    // The first ask for each folder finds its disk in the background and says so.
    expect(disks.tryAcquire(`${here}/a.mov`)).toBeNull();
    expect(disks.tryAcquire('/dev/shm/b.mov')).toBeNull();
    await until(() => found === 2);
    return { disks, here };
  }

  it('gives one disk no more readers than the setting, and other disks their own', async () => {
    const { disks, here } = await readers(1);
    const first = disks.tryAcquire(`${here}/a.mov`)!;
    expect(first).toBeTypeOf('function');
    expect(disks.tryAcquire(`${here}/b.mov`)).toBeNull();
    // Another disk is not held back by the busy one.
    expect(disks.tryAcquire('/dev/shm/c.mov')).toBeTypeOf('function');
    first();
    first();
    const next = disks.tryAcquire(`${here}/b.mov`);
    expect(next).toBeTypeOf('function');
    expect(disks.tryAcquire(`${here}/c.mov`)).toBeNull();
  });

  it("reads as many as the checks go from a disk that is not slow, under 'auto'", async () => {
    const { disks } = await readers('auto');
    const all = Array.from({ length: 16 }, (_, n) => disks.tryAcquire(`/dev/shm/${n}.mov`));
    expect(all.every((release) => typeof release === 'function')).toBe(true);
  });
});
