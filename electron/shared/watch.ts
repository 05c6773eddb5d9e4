import { clockTime, counted, m } from './i18n';

/** Where a watched folder stands, as the window and the CLI show it. */
export interface WatchedFolderView {
  /** The folder's path, which is also how it is known. */
  readonly id: string;
  readonly path: string;
  readonly name: string;
  readonly state: 'starting' | 'watching' | 'paused' | 'missing';
  /**
   * Why it is read on a timer rather than told of changes, if it is: a network drive, the folder's
   * setting, or the system's limit of watched folders reached.
   */
  readonly polling: false | 'network' | 'asked' | 'limit';
  /** Files from it still to be checked, sent or finished on TwelveLabs. */
  readonly waiting: number;
  /** Files still being written (waiting to be complete). */
  readonly settling: number;
  /** Things in it passed over: pipes, devices, sockets, links out of it or to nothing. */
  readonly skipped: number;
  /** When a file from it last finished uploading, or null. */
  readonly lastUploadAt: number | null;
}

/** "(checked every few seconds: a network drive)", or null for a folder told of changes. */
export function pollingWords(polling: WatchedFolderView['polling']): string | null {
  switch (polling) {
    case false:
      return null;
    case 'network':
      return m.watch_polling_network();
    case 'asked':
      return m.watch_polling_asked();
    case 'limit':
      return m.watch_polling_limit();
  }
}

/** "Watching · 12 waiting · last upload 14:02", "Folder not found: reconnect the drive". */
export function watchedFolderWords(view: WatchedFolderView): string {
  switch (view.state) {
    case 'paused':
      return m.watch_paused();
    case 'missing':
      return m.watch_missing();
    case 'starting':
      return m.watch_starting();
    case 'watching':
      return [
        [m.watch_watching(), pollingWords(view.polling)].filter((part) => part !== null).join(' '),
        view.settling > 0 ? m.watch_settling(counted(view.settling)) : null,
        view.waiting > 0 ? m.watch_waiting(counted(view.waiting)) : null,
        view.skipped > 0 ? m.watch_skipped(counted(view.skipped)) : null,
        view.lastUploadAt !== null ? m.watch_last_upload({ time: clockTime(view.lastUploadAt) }) : null,
      ]
        .filter((part) => part !== null)
        .join(' · ');
  }
}
