import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFiles } from '../store/data-folder';
import lockfile from 'proper-lockfile';

/** Who runs the queue of a data folder, as it wrote down when it took the lock. */
export interface QueueOwner {
  readonly pid: number;
  /** The local channel it listens on for other processes' work (see `QueueServer`). */
  readonly socket: string;
  /**
   * A secret of this run that every request on the channel must carry. It is in the owner file,
   * which only this user can read (0600 in the private data folder): whoever else reaches the
   * socket or pipe (another user, a remote client of a Windows pipe) cannot use it.
   */
  readonly secret: string;
  readonly since: number;
}

/** The queue of this data folder is run by another live process. */
export class QueueOwned extends Error {
  constructor(readonly owner: QueueOwner | null) {
    super(
      owner
        ? `Another TwelveLabs Uploader process (${owner.pid}) owns the upload queue in this data folder.`
        : 'Another TwelveLabs Uploader process owns the upload queue in this data folder.',
    );
  }
}

export interface HeldQueue {
  readonly socket: string;
  readonly secret: string;
  release(): Promise<void>;
}

/**
 * The local channel for a run: a Unix socket inside the data folder (private to this user, and the
 * socket is made 0600), or a named pipe on Windows. Unix socket paths are limited to about 100
 * bytes, so a deep folder gets one in the temp folder. Outside the private folder the name is new
 * for every run (others read it from the owner file), so another user can neither guess it nor
 * take it first to block the start.
 */
export function socketPathFor(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const unguessable = randomBytes(16).toString('hex');
  if (platform === 'win32') return `\\\\.\\pipe\\twelvelabs-uploader-${unguessable}`;
  const inside = dataFiles(dataDir).queueSocket;
  return Buffer.byteLength(inside) < 100 ? inside : join(tmpdir(), `twelvelabs-uploader-${unguessable}.sock`);
}

/**
 * Takes the data folder's queue for this process: one owner runs the engine, so two schedulers
 * never send the same file. The lock is a folder whose time the owner refreshes; a lock left by a
 * process that crashed or was killed goes stale after `staleMs` and is taken over. Throws
 * `QueueOwned` while a live owner holds it.
 */
export async function acquireQueue(
  dataDir: string,
  options: { readonly staleMs?: number; readonly onLost?: (error: Error) => void } = {},
): Promise<HeldQueue> {
  const staleMs = options.staleMs ?? 10_000;
  const take = (stale: number, retries = 0) =>
    lockfile.lock(dataDir, {
      lockfilePath: dataFiles(dataDir).queueLock,
      stale,
      update: Math.max(1000, Math.floor(staleMs / 2)),
      realpath: false,
      retries: { retries, minTimeout: 250, maxTimeout: 500 },
      // The default throws from a timer, which would take the whole process down.
      onCompromised: (error) => options.onLost?.(error),
    });
  let release: () => Promise<void>;
  try {
    release = await take(staleMs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = await queueOwner(dataDir, staleMs);
    if (!owner || isAlive(owner.pid)) throw new QueueOwned(owner);
    // Its owner is gone (crashed or killed): the lock is taken over as soon as it stops being
    // refreshed (2 s, the shortest the lock allows), not after the full stale time.
    release = await take(2000, 12).catch(() => {
      throw new QueueOwned(owner);
    });
  }
  const socket = socketPathFor(dataDir);
  const secret = randomBytes(32).toString('hex');
  const owner: QueueOwner = { pid: process.pid, socket, secret, since: Date.now() };
  await writeFile(dataFiles(dataDir).queueOwner, JSON.stringify(owner), { mode: 0o600 });
  return {
    socket,
    secret,
    async release() {
      await rm(dataFiles(dataDir).queueOwner, { force: true });
      await release().catch(() => undefined);
    },
  };
}

/** Whether a process runs on this computer (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of a data folder's queue, or null when nobody holds it. */
export async function queueOwner(dataDir: string, staleMs = 10_000): Promise<QueueOwner | null> {
  const held = await lockfile
    .check(dataDir, { lockfilePath: dataFiles(dataDir).queueLock, realpath: false, stale: staleMs })
    .catch(() => false);
  if (!held) return null;
  try {
    return JSON.parse(await readFile(dataFiles(dataDir).queueOwner, 'utf8')) as QueueOwner;
  } catch {
    // Held, but the owner has not written its name yet (it is starting).
    return null;
  }
}
