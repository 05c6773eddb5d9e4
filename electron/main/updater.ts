import electronUpdater from 'electron-updater';
import type { Updater, UpdaterEvent } from '../core/update/updates';

/**
 * The app's updater over electron-updater and GitHub releases (see `publish` in
 * electron-builder.yml). It downloads by itself; installing is the core's decision (never while
 * files upload). A downloaded version is also installed when the person quits.
 */
export function githubUpdater(log: (message: string) => void): Updater {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = { info: log, warn: log, error: log, debug: () => undefined };
  const listeners: ((event: UpdaterEvent) => void)[] = [];
  const emit = (event: UpdaterEvent) => listeners.forEach((listener) => listener(event));
  let version = '';
  autoUpdater.on('checking-for-update', () => emit({ kind: 'checking' }));
  autoUpdater.on('update-not-available', () => emit({ kind: 'none' }));
  autoUpdater.on('update-available', (info) => {
    version = info.version;
    emit({ kind: 'progress', version, percent: 0 });
  });
  autoUpdater.on('download-progress', (progress) => emit({ kind: 'progress', version, percent: progress.percent }));
  autoUpdater.on('update-downloaded', (info) => emit({ kind: 'downloaded', version: info.version }));
  autoUpdater.on('error', (error) => emit({ kind: 'error', message: error.message }));
  return {
    async check() {
      await autoUpdater.checkForUpdates();
    },
    install() {
      autoUpdater.quitAndInstall();
    },
    onEvent(listener) {
      listeners.push(listener);
    },
  };
}
