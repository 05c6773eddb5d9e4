import { linkRelativePath } from '../../shared/links';
import { resolveTemplate, type TemplateField } from '../../shared/metadata';
import { schemeProblem } from './link-check';
import { scanPaths, type ScanOptions, type SkippedPath } from './scan';
import { identify } from './sniff';
import type { IndexChoice } from '../../shared/indexes';
import type { MediaKind } from '../../shared/uploads';
import type { UserMetadata } from '../../shared/metadata';
import type { Rejection } from './rules';

/** A file to queue, as a scan found it, or a link (`strategy: 'url'`, its address as `path`). */
export interface FileToAdd {
  readonly path: string;
  readonly relativePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly kind: MediaKind | null;
  readonly mime: string;
  /** The batch template resolved for this file. */
  readonly userMetadata?: UserMetadata;
  /** Refused before any check (a template value that does not fit this file). */
  readonly problem?: Rejection;
  /** Only for links, which TwelveLabs fetches itself; files get theirs from their size and kind. */
  readonly strategy?: 'url';
  /** The watched folder it came from. */
  readonly watchFolder?: string;
}

export interface IntakeOptions {
  /** The batch's metadata template, resolved for each file. */
  readonly template: readonly TemplateField[];
  readonly onSkip?: (skipped: SkippedPath) => void;
  /** Reaches files whose names are not valid UTF-8 (see `nameAliases`); without it they are skipped. */
  readonly alias?: ScanOptions['alias'];
  readonly now?: () => number;
}

/** What a person named for an upload: files and folders by their whole paths, web links, the batch's template. */
export interface NamedWork {
  readonly paths: readonly string[];
  readonly links: readonly string[];
  readonly template: readonly TemplateField[];
  /** The index the files go into once uploaded. */
  readonly index?: IndexChoice;
}

/** How much a gathering found, as "Queued 12 files (3.1 GB) and 2 links" counts it. */
export interface FoundSummary {
  readonly files: number;
  readonly links: number;
  readonly bytes: number;
}

/**
 * Everything named, as one list of files and links with what was passed over and why: for a dry
 * run, which checks it all without queueing anything. Work for the queue goes in as it is found
 * (`addNamed`).
 */
export async function gather(
  named: NamedWork,
  options: Pick<IntakeOptions, 'alias' | 'now'> = {},
): Promise<{ files: FileToAdd[]; skipped: SkippedPath[]; found: FoundSummary }> {
  const files: FileToAdd[] = [];
  const skipped: SkippedPath[] = [];
  const onSkip = (skip: SkippedPath) => skipped.push(skip);
  for await (const file of intake(named.paths, { ...options, template: named.template, onSkip })) files.push(file);
  files.push(...intakeLinks(named.links, { ...options, template: named.template }));
  const links = files.filter((file) => file.strategy === 'url').length;
  const bytes = files.reduce((sum, file) => sum + (file.strategy === 'url' ? 0 : file.size), 0);
  return { files, skipped, found: { files: files.length - links, links, bytes } };
}

/** Metadata that keeps the original bytes of a name that is not valid UTF-8, percent-encoded. */
export const ORIGINAL_NAME_KEY = 'original_name_bytes';

/**
 * A file or link for the queue with the batch's template resolved for it: the one way every way
 * of adding (the window, the command line, links, watched folders) makes one. A template value
 * that does not fit it (a whole-number field fed "take two") refuses it, with the reason; a name
 * that is not valid UTF-8 keeps its original bytes in the metadata.
 */
export function fileToAdd(
  file: Omit<FileToAdd, 'userMetadata' | 'problem'>,
  template: readonly TemplateField[],
  context: { readonly addedAt: number; readonly host?: string; readonly nameBytes?: string | undefined },
): FileToAdd {
  const { relativePath } = file;
  const metadata = resolveTemplate(template, {
    relativePath,
    addedAt: context.addedAt,
    ...(context.host && { host: context.host }),
  });
  if (!metadata.ok) return { ...file, problem: { code: metadata.code, message: metadata.message } };
  const original = context.nameBytes && { [ORIGINAL_NAME_KEY]: context.nameBytes };
  return { ...file, userMetadata: { ...metadata.value, ...original } };
}

/**
 * What the person added, as files ready for the queue: found by the scan (as they are found),
 * typed by their first bytes, with the batch's metadata resolved for each. A template value that
 * does not fit a file (a whole-number field fed "take two") refuses that file with the reason.
 */
export async function* intake(paths: readonly string[], options: IntakeOptions): AsyncGenerator<FileToAdd> {
  const now = options.now ?? Date.now;
  for await (const { nameBytes, ...found } of scanPaths(paths, { onSkip: options.onSkip, alias: options.alias })) {
    yield fileToAdd(await identify(found), options.template, { addedAt: now(), nameBytes });
  }
}

/**
 * Links as queue items: the address is the item's path, the host and path stand where a file's
 * folder would, and the size and type are learnt when the link is checked. An address that is no
 * web link (`file:`, `ftp:`) is kept as a refused row with the reason, never dropped.
 */
export function intakeLinks(links: readonly string[], options: Omit<IntakeOptions, 'onSkip'>): FileToAdd[] {
  const now = options.now ?? Date.now;
  return links.map((link) => {
    const problem = schemeProblem(link);
    const web = problem === null;
    const url = web ? new URL(link) : null;
    const relativePath = url ? linkRelativePath(link) : link;
    const base = {
      path: link,
      relativePath,
      size: 0,
      mtimeMs: 0,
      kind: url ? ('video' as const) : null,
      mime: 'application/octet-stream',
      strategy: 'url' as const,
    };
    if (problem) return { ...base, problem };
    return fileToAdd(base, options.template, { addedAt: now(), host: url!.host });
  });
}
