import { readFile, realpath, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diskOf, DiskReaders, macSaysSlow, majorMinor, windowsSaysSlow } from '../../../../electron/core/media/disks';
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

/** What `diskutil info -plist` writes of a volume, cut to the keys that tell its disk (and one that does not). */
function diskutil(keys: Record<string, boolean | string>): string {
  const entries = Object.entries({ DeviceIdentifier: 'disk4s1', ...keys }).map(([key, value]) =>
    typeof value === 'boolean'
      ? `\t<key>${key}</key>\n\t<${value}/>`
      : `\t<key>${key}</key>\n\t<string>${value}</string>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n${entries.join('\n')}\n</dict>\n</plist>\n`;
}

describe('which disks macOS and Windows say are slow', () => {
  it('takes a Mac volume on USB, on a card, or not solid state as slow, and the internal SSD as not', () => {
    const internal = { BusProtocol: 'Apple Fabric', Internal: true, RemovableMedia: false, SolidState: true };
    expect(macSaysSlow(diskutil(internal))).toBe(false);
    expect(macSaysSlow(diskutil({ ...internal, BusProtocol: 'PCI-Express' }))).toBe(false);
    // A Thunderbolt SSD is external and fast.
    expect(macSaysSlow(diskutil({ ...internal, BusProtocol: 'Thunderbolt', Internal: false }))).toBe(false);
    expect(macSaysSlow(diskutil({ ...internal, BusProtocol: 'USB', Internal: false }))).toBe(true);
    expect(macSaysSlow(diskutil({ BusProtocol: 'Secure Digital', RemovableMedia: true, SolidState: true }))).toBe(true);
    expect(macSaysSlow(diskutil({ BusProtocol: 'SATA', Internal: true, SolidState: false }))).toBe(true);
    // A disk image says nothing of a disk.
    expect(macSaysSlow(diskutil({ BusProtocol: 'Disk Image' }))).toBe(false);
  });

  it('takes a Windows drive on a hard disk, USB or a card as slow, and SSDs and virtual disks as not', () => {
    expect(windowsSaysSlow('SSD|NVMe\r\n')).toBe(false);
    expect(windowsSaysSlow('SSD|SATA\r\n')).toBe(false);
    expect(windowsSaysSlow('Unspecified|Virtual\r\n')).toBe(false);
    expect(windowsSaysSlow('HDD|SATA\r\n')).toBe(true);
    expect(windowsSaysSlow('Unspecified|USB\r\n')).toBe(true);
    expect(windowsSaysSlow('SSD|USB\r\n')).toBe(true);
    expect(windowsSaysSlow('Unspecified|SD\r\n')).toBe(true);
    // A drive PowerShell found no disk for.
    expect(windowsSaysSlow('|\r\n')).toBe(false);
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
