import { randomUUID } from 'node:crypto';
import { dirname, relative, sep } from 'node:path';
import type { IndexChoice } from '../../shared/indexes';
import { SKIPPED_LISTED } from '../../shared/uploads';
import { intake, intakeLinks, type FileToAdd, type FoundSummary, type NamedWork } from '../media/intake';
import type { ScanOptions, SkippedPath } from '../media/scan';
import type { UploadEngine } from './engine';
import type { SkippedRecord } from './journal';

/**
 * Files handed to the engine at a time while a folder is scanned: the queue fills, and the first
 * uploads start, while the scan goes on, and a kill mid-add keeps what was added so far.
 */
export const ADD_BATCH = 200;

export interface AddNamedOptions {
  /** Reaches files whose names are not valid UTF-8 (see `nameAliases`). */
  readonly alias?: ScanOptions['alias'];
  /** One batch for everything added at once, however many hand-overs to the engine it takes. */
  readonly batchId?: string;
  readonly index?: IndexChoice;
  /**
   * After each hand-over to the engine: the ids it queued, the rows that already had the others
   * (`alreadyListed`), and how many files and links were found so far.
   */
  readonly onBatch?: (batch: {
    readonly ids: readonly string[];
    readonly listed: readonly string[];
    readonly found: number;
  }) => void | Promise<void>;
}

/**
 * What an add did, in counts: a million files added are never a million ids held to say so (the
 * files are the batch's, `batchId`, in the journal).
 */
export interface AddedNamed {
  readonly batchId: string;
  /** Files and links queued. */
  readonly queued: number;
  /** Passed over by the scan, with the reason (not media, a pipe, a broken link…). */
  readonly skipped: readonly SkippedPath[];
  /** Already in the queue and not finished there: how many, and the first `SKIPPED_LISTED` paths. */
  readonly alreadyListed: number;
  readonly firstListed: readonly string[];
  readonly found: FoundSummary;
}

/**
 * A skipped file's path as the person added it, as the scan names what it queues: from the added
 * folder's own name on ("Day 2/A-cam/clip.xml"), or the name alone for a file added on its own.
 */
function addedAs(roots: readonly string[], path: string): string {
  const root = roots.find((added) => path.startsWith(added.endsWith(sep) ? added : added + sep));
  return relative(dirname(root ?? path), path)
    .split(sep)
    .join('/');
}

/**
 * The one way named work (from the window, the command line, or a command handed over) goes into
 * the queue: scanned, and added as it is found, a batch at a time; every skip is kept with the
 * batch too, so its report accounts for every file named.
 */
export async function addNamed(
  engine: UploadEngine,
  named: NamedWork,
  options: AddNamedOptions = {},
): Promise<AddedNamed> {
  const batchId = options.batchId ?? randomUUID();
  const into = { batchId, ...(options.index && { index: options.index }) };
  let queued = 0;
  const skipped: SkippedPath[] = [];
  let alreadyListed = 0;
  const firstListed: string[] = [];
  let skips: SkippedRecord[] = [];
  let found = { files: 0, links: 0, bytes: 0 };
  let batch: FileToAdd[] = [];
  const flush = async () => {
    const sent = batch;
    batch = [];
    // The checks set the pace: a folder of a million is not held in memory all at once.
    await engine.roomToAdd();
    const added = await engine.add(sent, into);
    // Said at once, before the skips are written: the next change event already carries these.
    await options.onBatch?.({
      ids: added.ids,
      listed: added.alreadyListed.map(({ id }) => id),
      found: found.files + found.links,
    });
    queued += added.ids.length;
    alreadyListed += added.alreadyListed.length;
    for (const { path } of added.alreadyListed.slice(0, SKIPPED_LISTED - firstListed.length)) firstListed.push(path);
    const kept = [
      ...skips,
      ...added.alreadyListed.map(({ path }) => ({
        path,
        relativePath: addedAs(named.paths, path),
        reason: 'already-listed' as const,
      })),
    ];
    skips = [];
    if (kept.length > 0) await engine.recordSkipped(batchId, kept);
  };
  const onSkip = (skip: SkippedPath) => {
    skipped.push(skip);
    skips.push({ path: skip.path, relativePath: addedAs(named.paths, skip.path), reason: skip.reason });
  };
  for await (const file of intake(named.paths, { template: named.template, alias: options.alias, onSkip })) {
    found = { ...found, files: found.files + 1, bytes: found.bytes + file.size };
    batch.push(file);
    if (batch.length >= ADD_BATCH) await flush();
  }
  const links = intakeLinks(named.links, { template: named.template });
  found = { ...found, links: links.length };
  batch.push(...links);
  await flush();
  return { batchId, queued, skipped, alreadyListed, firstListed, found };
}
