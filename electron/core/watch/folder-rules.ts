import { isAbsolute, parse, relative, resolve, win32 } from 'node:path';
import { m } from '../../shared/i18n';

/** Folders of the system itself: never watched, nor anything in them. */
const SYSTEM_FOLDERS = {
  posix: ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sbin', '/sys', '/usr', '/System', '/Library'],
  win32: ['Windows', 'Program Files', 'Program Files (x86)', 'ProgramData'],
};

/**
 * Why `path` may not be watched, in words that say what to do instead; null when it may. A watched
 * folder uploads everything that lands in it, so whole disks, the home folder itself, the system's
 * own folders and the app's data folder are refused, from the window, the command line and the
 * hand-over channel alike: one mistyped argument (or another program on the channel) must not send
 * a person's whole disk, or their private files, to TwelveLabs.
 */
export function watchFolderProblem(
  path: string,
  places: { readonly home: string; readonly dataDir: string },
  platform: NodeJS.Platform = process.platform,
): string | null {
  const windows = platform === 'win32';
  const full = windows ? win32.resolve(path) : resolve(path);
  const inside = (folder: string) => {
    const rest = (windows ? win32.relative : relative)(folder, full);
    return rest === '' || (!rest.startsWith('..') && !(windows ? win32.isAbsolute : isAbsolute)(rest));
  };
  const same = (a: string, b: string) => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  const root = (windows ? win32.parse : parse)(full).root;
  const advice = m.watch_choose_ingest();
  if (same(full, root)) return m.watch_whole_disk({ path: full, advice });
  if (same(full, windows ? win32.resolve(places.home) : resolve(places.home))) {
    return m.watch_home({ path: full, advice });
  }
  const system = windows ? SYSTEM_FOLDERS.win32.map((name) => win32.join(root, name)) : SYSTEM_FOLDERS.posix;
  if (system.some(inside)) return m.watch_system({ path: full, advice });
  if (inside(places.dataDir)) return m.watch_own_data({ path: full, advice });
  return null;
}
