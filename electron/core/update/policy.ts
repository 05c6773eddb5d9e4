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

/** Why there are no updates here, or null where there are. */
export function updatesOffReason(options: { readonly packaged: boolean }): string | null {
  return options.packaged ? null : 'Updates are off when running from source';
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
