import { execFile } from 'node:child_process';
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { promisify } from 'node:util';
import { SLOW_DISK_READERS, type ReadersPerDisk } from '../../shared/settings';
import type { Release } from '../util/limiter';

/** A disk files are read from: which one, and whether many readers at once slow it down. */
export interface Disk {
  /** The filesystem's device number: the same for every file on it. */
  readonly id: string;
  /** Spinning or removable (USB, a card reader): each extra reader makes it seek between files. */
  readonly slow: boolean;
}

/** A device number as Linux's /sys/dev/block names it, "major:minor" (glibc's encoding). */
export function majorMinor(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/**
 * Whether the block device `dev` is spinning or removable, as Linux says of it (on a USB bus, or
 * `queue/rotational` or `removable` set).
 */
async function linuxSlow(dev: bigint): Promise<boolean> {
  const device = await realpath(`/sys/dev/block/${majorMinor(dev)}`).catch(() => null);
  if (!device) return false;
  if (device.includes('/usb')) return true;
  // A partition's folder has no queue of its own: its disk is the folder above.
  for (const folder of [device, dirname(device)]) {
    const rotational = await readFile(join(folder, 'queue', 'rotational'), 'utf8').catch(() => null);
    if (rotational === null) continue;
    const removable = await readFile(join(folder, 'removable'), 'utf8').catch(() => '0');
    return rotational.trim() === '1' || removable.trim() === '1';
  }
  return false;
}

/** A `<key>` of a plist `diskutil` wrote: `true`, `false`, its string, or undefined when absent. */
function plistValue(plist: string, key: string): boolean | string | undefined {
  const value = new RegExp(
    `<key>${key}</key>\\s*<(true|false)\\s*/>|<key>${key}</key>\\s*<string>([^<]*)</string>`,
  ).exec(plist);
  if (!value) return undefined;
  return value[1] === undefined ? value[2] : value[1] === 'true';
}

/**
 * Whether a volume is on a slow disk, from what `diskutil info -plist` says of it: on USB, on
 * removable media (an SD card in a reader), or not solid state. A volume that says nothing of its
 * disk (a disk image) is not.
 */
export function macSaysSlow(plist: string): boolean {
  return (
    plistValue(plist, 'BusProtocol') === 'USB' ||
    plistValue(plist, 'RemovableMedia') === true ||
    plistValue(plist, 'SolidState') === false
  );
}

/**
 * Whether a drive is on a slow disk, from the `MediaType|BusType` of the physical disk under it, as
 * Windows' storage module names them: a hard disk, or one on USB or an SD or MMC card.
 * "Unspecified" (a virtual disk, most often) is not.
 */
export function windowsSaysSlow(said: string): boolean {
  const [media, bus] = said.trim().split('|');
  return media === 'HDD' || ['USB', 'SD', 'MMC'].includes(bus ?? '');
}

const run = promisify(execFile);
const ASK = { timeout: 15_000, windowsHide: true } as const;

/** macOS: the device under `folder` (from `df`), then what `diskutil` says of it. */
async function macSlow(folder: string): Promise<boolean> {
  const { stdout: df } = await run('/bin/df', ['-P', folder], ASK);
  const device = df.trim().split('\n').at(-1)?.split(/\s+/)[0] ?? '';
  // A network share or a RAM disk has no disk to seek.
  if (!device.startsWith('/dev/')) return false;
  const { stdout } = await run('/usr/sbin/diskutil', ['info', '-plist', device], ASK);
  return macSaysSlow(stdout);
}

/** Windows: the physical disk under `folder`'s drive letter, as PowerShell's storage module says. */
async function windowsSlow(folder: string): Promise<boolean> {
  const letter = /^([A-Za-z]):/.exec(parse(folder).root)?.[1];
  // A network share (\\server\share) has no local disk.
  if (!letter) return false;
  const script =
    `$n = (Get-Partition -DriveLetter ${letter}).DiskNumber; ` +
    `$d = Get-PhysicalDisk | Where-Object { $_.DeviceId -eq "$n" } | Select-Object -First 1; ` +
    '"$($d.MediaType)|$($d.BusType)"';
  const { stdout } = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], ASK);
  return windowsSaysSlow(stdout);
}

/**
 * Whether the disk holding `folder` (device `dev`) is spinning or removable, asked once per device
 * (PowerShell takes a second to start). Where nothing says so (another system, a network share, a
 * RAM disk, a question that failed) it is not, and its files are read as fast as the checks go.
 */
function slowDevice(dev: bigint, folder: string): Promise<boolean> {
  const key = dev.toString();
  let slow = slowByDevice.get(key);
  if (slow === undefined) {
    const asked =
      process.platform === 'linux'
        ? linuxSlow(dev)
        : process.platform === 'darwin'
          ? macSlow(folder)
          : process.platform === 'win32'
            ? windowsSlow(folder)
            : Promise.resolve(false);
    slow = asked.catch(() => false);
    slowByDevice.set(key, slow);
  }
  return slow;
}

const slowByDevice = new Map<string, Promise<boolean>>();

/** The disk that holds `folder`; a folder that cannot be read is a disk of its own, not slow. */
export async function diskOf(folder: string): Promise<Disk> {
  const facts = await stat(folder, { bigint: true }).catch(() => null);
  if (!facts) return { id: `unread:${folder}`, slow: false };
  return { id: facts.dev.toString(), slow: await slowDevice(facts.dev, folder) };
}

/** Folders whose disk is remembered; past this the memory starts again (a scan of a few thousand). */
const FOLDERS_KEPT = 10_000;

/**
 * Readers per disk, for the file checks: a spinning or USB disk read in eight places at once seeks
 * more than it reads, and every check waits on it, so each disk has its own few readers and files
 * on other disks go on beside it. Which disk holds a file is found once per folder, in the
 * background; `known` is called when one is found, so the caller can look again.
 */
export class DiskReaders {
  readonly #perDisk: () => ReadersPerDisk;
  readonly #known: () => void;
  readonly #folders = new Map<string, Disk | null>();
  readonly #reading = new Map<string, number>();
  /** Each disk found, by its id. */
  readonly #disks = new Map<string, Disk>();
  #found = 0;

  constructor(perDisk: () => ReadersPerDisk, known: () => void) {
    this.#perDisk = perDisk;
    this.#known = known;
  }

  /**
   * A reader's place on the disk that holds `path`, or null: that disk has all the readers it may,
   * or which disk it is is still being found.
   */
  tryAcquire(path: string): Release | null {
    const folder = dirname(path);
    const disk = this.#folders.get(folder);
    if (disk === undefined) {
      this.#find(folder);
      return null;
    }
    if (disk === null) return null;
    const reading = this.#reading.get(disk.id) ?? 0;
    if (reading >= this.#limit(disk)) return null;
    this.#reading.set(disk.id, reading + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#reading.get(disk.id) ?? 1) - 1;
      if (left === 0) this.#reading.delete(disk.id);
      else this.#reading.set(disk.id, left);
    };
  }

  /** How many folders' disks have been found so far: what is known of the disks changes with it. */
  get found(): number {
    return this.#found;
  }

  /** The disk holding `path`, once known, if it has all the readers it may; null otherwise. */
  busyDisk(path: string): string | null {
    const disk = this.#folders.get(dirname(path));
    return disk && this.full(disk.id) ? disk.id : null;
  }

  /** Whether the disk `id` has all the readers it may. */
  full(id: string): boolean {
    const disk = this.#disks.get(id);
    return disk !== undefined && (this.#reading.get(id) ?? 0) >= this.#limit(disk);
  }

  #limit(disk: Disk): number {
    const setting = this.#perDisk();
    if (setting !== 'auto') return Math.max(1, setting);
    return disk.slow ? SLOW_DISK_READERS : Number.POSITIVE_INFINITY;
  }

  #find(folder: string): void {
    if (this.#folders.size >= FOLDERS_KEPT) {
      for (const [known, disk] of this.#folders) if (disk !== null) this.#folders.delete(known);
    }
    this.#folders.set(folder, null);
    void diskOf(folder).then((disk) => {
      this.#folders.set(folder, disk);
      this.#disks.set(disk.id, disk);
      this.#found += 1;
      this.#known();
    });
  }
}
