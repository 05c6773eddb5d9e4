import { clockTime } from './words';

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

/** A watched folder's own name, from its path (either separator): "Ingest". */
export function folderNameOf(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

const POLLING_WHY = {
  network: 'a network drive',
  asked: 'as set for this folder',
  limit: 'this computer watches as many folders as it allows; ask IT to raise the limit, or watch fewer folders',
} as const;

/** " (checked every few seconds: a network drive)", or nothing for a folder told of changes. */
export function pollingWords(polling: WatchedFolderView['polling']): string {
  return polling ? ` (checked every few seconds: ${POLLING_WHY[polling]})` : '';
}

/** "Watching · 12 waiting · last upload 14:02", "Folder not found: reconnect the drive". */
export function watchedFolderWords(view: WatchedFolderView, locale?: string): string {
  switch (view.state) {
    case 'paused':
      return 'Paused';
    case 'missing':
      return 'Folder not found: reconnect the drive';
    case 'starting':
      return 'Reading the folder…';
    case 'watching':
      return [
        `Watching${pollingWords(view.polling)}`,
        view.settling > 0 ? `${view.settling.toLocaleString(locale)} being written` : null,
        view.waiting > 0 ? `${view.waiting.toLocaleString(locale)} waiting` : null,
        view.skipped > 0 ? `${view.skipped.toLocaleString(locale)} skipped (not files, or links out of it)` : null,
        view.lastUploadAt !== null ? `last upload ${clockTime(view.lastUploadAt, locale)}` : null,
      ]
        .filter((part) => part !== null)
        .join(' · ');
  }
}
