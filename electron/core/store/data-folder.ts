import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name Electron uses for its data folder; the CLI uses the same folder. */
export const PRODUCT_NAME = 'TwelveLabs Uploader';

/**
 * Where the app keeps its settings, journal and logs: Electron's `userData` for this product, so
 * the app and the CLI share one queue.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}

/**
 * Every file and folder the app keeps in a data folder, named once here: the app, the CLI, the
 * queue's lock and the start-up failure notice all find them through this.
 */
export function dataFiles(dataDir: string) {
  return {
    journal: join(dataDir, 'uploads.sqlite'),
    library: join(dataDir, 'library.sqlite'),
    settings: join(dataDir, 'settings.json'),
    logs: join(dataDir, 'logs'),
    /** The queue's lock (a folder), the owner's note, and the channel inside the folder. */
    queueLock: join(dataDir, 'queue.lock'),
    queueOwner: join(dataDir, 'queue-owner.json'),
    queueSocket: join(dataDir, 'queue.sock'),
    /** Links to files whose names are not valid UTF-8 (see `nameAliases`). */
    nameAliases: join(dataDir, 'cache', 'names'),
    /** Upload copies while they are made and sent (see `UploadCopy`). */
    uploadCopies: join(dataDir, 'cache', 'upload-copies'),
  } as const;
}

/** The local copy of the library inside a data dir. */
export function libraryPath(dataDir: string): string {
  return dataFiles(dataDir).library;
}

/** The journal file inside a data dir. */
export function journalPath(dataDir: string): string {
  return dataFiles(dataDir).journal;
}

/** Links to files whose names are not valid UTF-8 (see `nameAliases`), inside a data dir. */
export function nameAliasesPath(dataDir: string): string {
  return dataFiles(dataDir).nameAliases;
}
