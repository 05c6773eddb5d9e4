import type { Updater, UpdaterEvent } from '../../electron/core/update/updates';

/**
 * An updater that answers as electron-updater would, without Electron (which cannot run here):
 * `check` reports the next answer given (none: no new version), and `installs` counts what `install` was asked.
 */
export function fakeUpdater(answers: UpdaterEvent[][]): Updater & { installs: number; checks: number } {
  const listeners: ((event: UpdaterEvent) => void)[] = [];
  const updater = {
    installs: 0,
    checks: 0,
    async check() {
      // No new version: electron-updater says "update-not-available".
      const given = answers[updater.checks] ?? [];
      const events = given.length > 0 ? given : [{ kind: 'none' as const }];
      updater.checks += 1;
      for (const event of [{ kind: 'checking' as const }, ...events]) listeners.forEach((listener) => listener(event));
    },
    install() {
      updater.installs += 1;
    },
    onEvent(listener: (event: UpdaterEvent) => void) {
      listeners.push(listener);
    },
  };
  return updater;
}
