import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
 * `queue/rotational` or `removable` set). Where nothing says so (another system, a network share, a
 * RAM disk) it is not, and its files are read as fast as the checks go.
 */
async function slowDevice(dev: bigint): Promise<boolean> {
  if (process.platform !== 'linux') return false;
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

/** The disk that holds `folder`; a folder that cannot be read is a disk of its own, not slow. */
export async function diskOf(folder: string): Promise<Disk> {
  const facts = await stat(folder, { bigint: true }).catch(() => null);
  if (!facts) return { id: `unread:${folder}`, slow: false };
  return { id: facts.dev.toString(), slow: await slowDevice(facts.dev) };
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
