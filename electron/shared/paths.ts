/**
 * Paths as people see them, from any system: a path written on Windows (`\`) or anywhere else
 * (`/`), a relative path as the queue keeps it (`Day 2/A-cam/clip.mp4`). Every surface names a
 * file and its folder through these, so they agree whichever separator a path came with.
 */
const SEPARATOR = /[\\/]/;

/** The parts of a path, in order ("/Volumes/Card/clip.mp4" → "", "Volumes", "Card", "clip.mp4"). */
export function partsOf(path: string): string[] {
  return path.split(SEPARATOR);
}

/** The last part: a file's name, or a folder's own name ("Ingest" of "D:\\Shoots\\Ingest\\"). */
export function nameOf(path: string): string {
  return partsOf(path).filter(Boolean).pop() ?? path;
}

/** Everything before the last separator, as written ("Day 2/A-cam"); empty when there is none. */
export function folderOf(path: string): string {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at < 0 ? '' : path.slice(0, at);
}
