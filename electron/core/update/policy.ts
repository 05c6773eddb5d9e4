import type { UpdatesOff } from '../../shared/updates';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * When the app looks for a new version, and when it may install one: plain functions, so the
 * rules are tested without an updater. Installing restarts the app, so it never happens while
 * files upload; the queue picks up again after the restart from the journal, like any start.
 */

/** A quiet look shortly after start (not during it), then once a day. */
export const FIRST_CHECK_DELAY_MS = 60_000;
export const CHECK_EVERY_MS = 24 * 60 * 60 * 1000;

/** How long to wait before the next automatic check. */
export function nextCheckDelay(lastCheckedAt: number | null, now: number): number {
  if (lastCheckedAt === null) return FIRST_CHECK_DELAY_MS;
  return Math.max(FIRST_CHECK_DELAY_MS, lastCheckedAt + CHECK_EVERY_MS - now);
}

/** How this copy was installed, as far as updating it goes. */
export interface Installation {
  readonly packaged: boolean;
  readonly platform: NodeJS.Platform;
  /** Linux: started from an AppImage (which replaces a file of the user's own). */
  readonly appImage: boolean;
  /** Windows: the update feed names the publisher, so a download's signature is checked against it. */
  readonly signedFeed: boolean;
}

/**
 * Why there are no updates here, or null where there are. An update is a program that will run:
 * one whose signature cannot be checked (an unsigned Windows build's feed names no publisher, so
 * electron-updater would take any file) is not installed, and on Linux the Debian package is not
 * updated from a file in the user's own cache by a root install; apt does that.
 */
export function updatesOffReason(installation: Installation): UpdatesOff | null {
  if (!installation.packaged) return 'source';
  if (installation.platform === 'win32' && !installation.signedFeed) return 'unsigned';
  if (installation.platform === 'linux' && !installation.appImage) return 'package-manager';
  return null;
}

/** What to do when the person asks to restart, or when the queue becomes idle. */
export type InstallDecision = 'install' | 'wait-for-uploads' | 'nothing';

export function installDecision(options: {
  readonly state: 'ready' | 'waiting-for-uploads' | 'other';
  readonly event: 'restart-asked' | 'uploads-finished';
  readonly uploading: boolean;
}): InstallDecision {
  const { state, event, uploading } = options;
  if (state === 'other') return 'nothing';
  if (event === 'restart-asked') {
    if (state !== 'ready') return 'nothing';
    return uploading ? 'wait-for-uploads' : 'install';
  }
  return state === 'waiting-for-uploads' && !uploading ? 'install' : 'nothing';
}

/**
 * Whether the installed update feed (`app-update.yml`, written by electron-builder) names the
 * publisher whose signature every download must carry: electron-builder writes it only for a
 * signed Windows build, and electron-updater checks nothing without it.
 */
export async function feedNamesPublisher(resources = process.resourcesPath): Promise<boolean> {
  const feed = await readFile(join(resources, 'app-update.yml'), 'utf8').catch(() => '');
  return /^publisherName:/m.test(feed);
}
