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

/** The local copy of the library inside a data dir. */
export function libraryPath(dataDir: string): string {
  return join(dataDir, 'library.sqlite');
}

/** The journal file inside a data dir. */
export function journalPath(dataDir: string): string {
  return join(dataDir, 'uploads.sqlite');
}

/** Links to files whose names are not valid UTF-8 (see `nameAliases`), inside a data dir. */
export function nameAliasesPath(dataDir: string): string {
  return join(dataDir, 'cache', 'names');
}
