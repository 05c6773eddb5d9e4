import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { SkipReason } from '../../shared/uploads';
import { notAFile } from './regular-file';

/** A file found under something the user added, with its path relative to what they added. */
export interface FoundFile {
  readonly path: string;
  /** From the added folder's own name down ("Day 2/A-cam/clip.mov"); a lone file is just its name. */
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** Something under an added path that was passed over, and why. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: Exclude<SkipReason, 'already-listed'>;
}

/** OS and app clutter that is never media: Finder and Explorer metadata, partial downloads. */
const JUNK = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', 'ehthumbs.db', 'icon\r']);
const PARTIAL = /\.(crdownload|part|partial|download|tmp)$/i;

/**
 * What cameras, editing and offload tools leave beside the clips (clip XML, XMP sidecars,
 * thumbnails, checksums, shot lists): never media. Inside an added folder they are skipped and
 * counted like system files, so a card of 3,000 clips does not add thousands of rows nobody can
 * act on; a file chosen by name still gets a row with its reason.
 */
const SIDECAR = /\.(xml|xmp|thm|txt|csv|md5|sha1|sha256|mhl|json|log|ale|edl|cpf|bim|ppn|srt|vtt)$/i;

/** Office lock files (`~$report.docx`) and editors' cache and render folders: never media to send. */
const LOCKS = /^~\$/;
const CACHE_FOLDERS = new Set([
  'adobe premiere pro auto-save',
  'adobe premiere pro video previews',
  'adobe premiere pro audio previews',
  'cacheclip',
  'render files',
  'proxy media',
]);

export function isJunk(name: string): boolean {
  return (
    name.startsWith('.') ||
    JUNK.has(name.toLowerCase()) ||
    PARTIAL.test(name) ||
    LOCKS.test(name) ||
    CACHE_FOLDERS.has(name.toLowerCase())
  );
}

/** Camera and offload sidecars (see `SIDECAR`), skipped inside folders. */
export function isSidecar(name: string): boolean {
  return SIDECAR.test(name);
}

/** Whether the real path `target` is `folder` itself or inside it. */
export function isInside(target: string, folder: string): boolean {
  return target === folder || target.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/** Why a link cannot be followed: its target is gone, or it loops; null when it resolves or is no link. */
async function brokenLink(path: string): Promise<'broken-link' | 'symlink-loop' | 'unreadable' | null> {
  if (!(await lstat(path).catch(() => null))?.isSymbolicLink()) return null;
  try {
    await realpath(path);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'broken-link' : code === 'ELOOP' ? 'symlink-loop' : 'unreadable';
  }
}

/**
 * Walks files and folders depth-first, yielding files as they are found so the queue can fill
 * while a large folder is still being read. Follows symbolic links that stay inside the folder
 * that was added (one pointing out of it, to a system folder say, is skipped and said), and never
 * the same real folder twice, so a link loop ends instead of spinning. Only regular files are
 * yielded: pipes, devices and sockets (which would hang or stream without end when read) and links
 * whose target is gone are skipped with their reason, as is everything else passed over.
 */
export async function* scanPaths(
  paths: readonly string[],
  onSkip?: (skipped: SkippedPath) => void,
): AsyncGenerator<FoundFile> {
  const seenFolders = new Set<string>();
  for (const root of paths) {
    const info = await stat(root).catch(() => null);
    if (!info) {
      onSkip?.({ path: root, reason: (await brokenLink(root)) ?? 'unreadable' });
      continue;
    }
    if (notAFile(info)) {
      onSkip?.({ path: root, reason: 'not-a-file' });
      continue;
    }
    if (info.isFile()) {
      if (isJunk(basename(root))) onSkip?.({ path: root, reason: 'junk' });
      else yield { path: root, relativePath: basename(root), size: info.size, mtimeMs: info.mtimeMs };
      continue;
    }
    const inside = await realpath(root).catch(() => root);
    yield* walk(root, dirname(root), seenFolders, onSkip, inside);
  }
}

async function* walk(
  folder: string,
  base: string,
  seenFolders: Set<string>,
  onSkip: ((skipped: SkippedPath) => void) | undefined,
  /** The real path of the folder that was added: links are followed only within it. */
  inside: string,
): AsyncGenerator<FoundFile> {
  const real = await realpath(folder).catch(() => null);
  if (real === null) {
    onSkip?.({ path: folder, reason: 'unreadable' });
    return;
  }
  if (seenFolders.has(real)) {
    onSkip?.({ path: folder, reason: 'symlink-loop' });
    return;
  }
  seenFolders.add(real);
  let entries;
  try {
    entries = await opendir(folder);
  } catch {
    onSkip?.({ path: folder, reason: 'unreadable' });
    return;
  }
  const names: string[] = [];
  for await (const entry of entries) names.push(entry.name);
  names.sort((a, b) => a.localeCompare(b));
  for (const name of names) {
    const path = join(folder, name);
    if (isJunk(name)) {
      onSkip?.({ path, reason: 'junk' });
      continue;
    }
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink()) {
      const broken = await brokenLink(path);
      if (broken) {
        onSkip?.({ path, reason: broken });
        continue;
      }
      const target = await realpath(path).catch(() => null);
      if (target !== null && !isInside(target, inside)) {
        onSkip?.({ path, reason: 'link-outside' });
        continue;
      }
    }
    const info = link?.isSymbolicLink() ? await stat(path).catch(() => null) : link;
    if (!info) {
      // A name that is not valid UTF-8 comes back with U+FFFD in it and cannot be opened by that
      // spelling: reported as such, not guessed at.
      onSkip?.({ path, reason: name.includes('\uFFFD') ? 'bad-name' : 'unreadable' });
    } else if (info.isDirectory()) {
      yield* walk(path, base, seenFolders, onSkip, inside);
    } else if (info.isFile() && SIDECAR.test(name)) {
      onSkip?.({ path, reason: 'not-media' });
    } else if (info.isFile()) {
      yield { path, relativePath: relative(base, path).split(sep).join('/'), size: info.size, mtimeMs: info.mtimeMs };
    } else {
      onSkip?.({ path, reason: 'not-a-file' });
    }
  }
}
