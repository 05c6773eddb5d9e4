import { lstat, readdir, realpath, stat } from 'node:fs/promises';
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
  /**
   * Set for a file whose name is not valid UTF-8: the name's bytes, percent-encoded where they are
   * not printable ASCII (`path` is then a link to it, `relativePath` its name read as Windows-1252).
   */
  readonly nameBytes?: string;
}

/** How a scan reports what it passes over, and reaches files whose names are not valid text. */
export interface ScanOptions {
  readonly onSkip?: ((skipped: SkippedPath) => void) | undefined;
  /**
   * Makes a path in text that leads to `bytes` (a link in the app's folder), named `name`; none,
   * or null from it: such a file is skipped as 'bad-name'.
   */
  readonly alias?: ((bytes: Buffer, name: string) => Promise<string | null>) | undefined;
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

/**
 * Where a link leads, in one look-up: its real path (as latin1, see `realOf`), or why it cannot be
 * followed: its target is gone, or it loops.
 */
export async function linkTarget(
  path: string | Buffer,
): Promise<{ readonly real: string } | { readonly problem: 'broken-link' | 'symlink-loop' | 'unreadable' }> {
  try {
    return { real: (await realpath(path, { encoding: 'buffer' })).toString('latin1') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'broken-link' : code === 'ELOOP' ? 'symlink-loop' : 'unreadable' };
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
export async function* scanPaths(paths: readonly string[], options: ScanOptions = {}): AsyncGenerator<FoundFile> {
  const { onSkip } = options;
  const seenFolders = new Set<string>();
  for (const root of paths) {
    const info = await stat(root).catch(() => null);
    if (!info) {
      const link = (await lstat(root).catch(() => null))?.isSymbolicLink() ? await linkTarget(root) : null;
      onSkip?.({ path: root, reason: link && 'problem' in link ? link.problem : 'unreadable' });
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
    const inside = (await realOf(root)) ?? Buffer.from(root).toString('latin1');
    yield* walk(root, dirname(root), seenFolders, options, inside);
  }
}

/** A path as the file system has it: text, or bytes where a name in it is not valid UTF-8. */
export type FsPath = string | Buffer;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** The legacy encoding of most such names (old Windows shares and archives): every byte reads as something. */
const LEGACY = new TextDecoder('windows-1252');

/** A name's bytes as text, or null where they are not valid UTF-8. */
export function asText(bytes: Buffer): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** A name read for people: as UTF-8 where it is, otherwise as Windows-1252. */
export function shownName(bytes: Buffer): string {
  return asText(bytes) ?? LEGACY.decode(bytes);
}

/** A folder's path and a name in it: text while every part is valid UTF-8, bytes from then on. */
export function joinPath(folder: FsPath, name: Buffer): FsPath {
  if (typeof folder === 'string') {
    const text = asText(name);
    if (text !== null) return join(folder, text);
  }
  return Buffer.concat([typeof folder === 'string' ? Buffer.from(folder) : folder, Buffer.from(sep), name]);
}

/** A path in words a person can read: its own where it is valid UTF-8, each other part as Windows-1252. */
export function readablePath(path: FsPath): string {
  if (typeof path === 'string') return path;
  const parts: string[] = [];
  let start = 0;
  for (let at = 0; at <= path.length; at += 1) {
    if (at === path.length || path[at] === sep.charCodeAt(0)) {
      const part = path.subarray(start, at);
      parts.push(shownName(part));
      start = at + 1;
    }
  }
  return parts.join(sep);
}

/** The bytes of a name percent-encoded where they are not printable ASCII: `legacy-%E9t%E9.png`. */
export function nameBytes(name: Buffer): string {
  return [...name]
    .map((byte) =>
      byte > 0x20 && byte < 0x7f && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Real paths compared byte for byte (latin1 keeps every byte as one character). */
export const realOf = async (path: FsPath) =>
  (await realpath(path, { encoding: 'buffer' }).catch(() => null))?.toString('latin1') ?? null;

async function* walk(
  folder: FsPath,
  base: string,
  seenFolders: Set<string>,
  options: ScanOptions,
  /** The real path of the folder that was added (as latin1): links are followed only within it. */
  inside: string,
): AsyncGenerator<FoundFile> {
  const { onSkip, alias } = options;
  const real = await realOf(folder);
  if (real === null) {
    onSkip?.({ path: readablePath(folder), reason: 'unreadable' });
    return;
  }
  if (seenFolders.has(real)) {
    onSkip?.({ path: readablePath(folder), reason: 'symlink-loop' });
    return;
  }
  seenFolders.add(real);
  let names: Buffer[];
  try {
    // As bytes: a name that is not valid UTF-8 would come back as text with U+FFFD in it, a name
    // that opens nothing.
    names = await readdir(folder, { encoding: 'buffer' });
  } catch {
    onSkip?.({ path: readablePath(folder), reason: 'unreadable' });
    return;
  }
  names.sort((a, b) => shownName(a).localeCompare(shownName(b)));
  for (const nameBuffer of names) {
    const name = shownName(nameBuffer);
    const path = joinPath(folder, nameBuffer);
    const said = readablePath(path);
    if (isJunk(name)) {
      onSkip?.({ path: said, reason: 'junk' });
      continue;
    }
    const link = await lstat(path).catch(() => null);
    if (link?.isSymbolicLink()) {
      const target = await linkTarget(path);
      if ('problem' in target) {
        onSkip?.({ path: said, reason: target.problem });
        continue;
      }
      if (!isInside(target.real, inside)) {
        onSkip?.({ path: said, reason: 'link-outside' });
        continue;
      }
    }
    const info = link?.isSymbolicLink() ? await stat(path).catch(() => null) : link;
    if (!info) {
      onSkip?.({ path: said, reason: 'unreadable' });
    } else if (info.isDirectory()) {
      yield* walk(path, base, seenFolders, options, inside);
    } else if (info.isFile() && SIDECAR.test(name)) {
      onSkip?.({ path: said, reason: 'not-media' });
    } else if (info.isFile()) {
      const relativePath = relative(base, said).split(sep).join('/');
      if (typeof path === 'string') {
        yield { path, relativePath, size: info.size, mtimeMs: info.mtimeMs };
        continue;
      }
      // A name that is not valid UTF-8 cannot be opened by any spelling in text: it is reached
      // through a link in the app's own folder that holds its bytes, and named readably.
      const reachable = alias ? await alias(path, basename(said)).catch(() => null) : null;
      if (reachable === null) onSkip?.({ path: said, reason: 'bad-name' });
      else
        yield {
          path: reachable,
          relativePath,
          size: info.size,
          mtimeMs: info.mtimeMs,
          // Kept where the name itself is not text (not only a folder above it).
          ...(asText(nameBuffer) === null && { nameBytes: nameBytes(nameBuffer) }),
        };
    } else {
      onSkip?.({ path: said, reason: 'not-a-file' });
    }
  }
}
