// What an add put in the queue and what it passed over, in the words every way of adding uses.
import { SKIP_WORDS } from '../shared/uploads';
import type { FoundSummary, NamedWork } from '../core/media/intake';
import type { SkippedPath } from '../core/media/scan';
import { jsonLine } from './report';
import { counted, formatBytes, formatList, formatNumber, m } from '../shared/i18n';
import { globals } from './program';

export function queuedLine(found: FoundSummary, queued: number, skipped: readonly SkippedPath[]): string {
  const what = [
    found.files > 0 || found.links === 0
      ? m.cli_found_files({ ...counted(found.files), size: formatBytes(found.bytes) })
      : '',
    found.links > 0 ? m.links_count(counted(found.links)) : '',
  ].filter(Boolean);
  const already = found.files + found.links - queued;
  return [
    m.cli_queued({ what: formatList(what) }),
    ...(already > 0 ? [m.cli_already_listed(counted(already))] : []),
    ...(skipped.length > 0 ? [m.cli_skipped_count(counted(skipped.length))] : []),
  ].join(' ');
}

/**
 * Says what was queued and what was passed over; true when a path the person named itself could
 * not be queued (it was not uploaded either: the run ends with 1).
 */
export function reportAdded(
  named: NamedWork,
  found: FoundSummary,
  queued: number,
  skipped: readonly SkippedPath[],
  verbose: boolean,
  before = '',
): boolean {
  if (!globals().json) process.stdout.write(`${before}${queuedLine(found, queued, skipped)}\n`);
  reportSkipped(skipped, verbose);
  const paths = new Set(named.paths);
  return skipped.some((skip) => paths.has(skip.path));
}

/** Skipped files named in text, the first few unless --verbose. */
export const SKIPPED_SHOWN = 20;

export const SKIP_ORDER: readonly SkippedPath['reason'][] = [
  'bad-name',
  'unreadable',
  'not-a-file',
  'broken-link',
  'link-outside',
  'symlink-loop',
  'not-media',
  'junk',
];

/**
 * Every file the person named that will not be uploaded, with its reason: in text the first few and
 * how many more (all with --verbose), in JSON one `skipped` event each. Nothing is passed over
 * without a name.
 */
export function reportSkipped(skipped: readonly SkippedPath[], verbose: boolean): void {
  if (globals().json) {
    for (const skip of skipped) jsonLine({ event: 'skipped', path: skip.path, reason: skip.reason });
    return;
  }
  // What a person may need to act on comes before the sidecars and system files nobody misses.
  const order = (skip: SkippedPath) => SKIP_ORDER.indexOf(skip.reason);
  const sorted = [...skipped].sort((a, b) => order(a) - order(b));
  const shown = verbose ? sorted : sorted.slice(0, SKIPPED_SHOWN);
  for (const skip of shown) process.stdout.write(`  ${skip.path}  (${SKIP_WORDS[skip.reason]()})\n`);
  if (shown.length < skipped.length) {
    process.stdout.write(`  ${m.cli_and_more({ n: formatNumber(skipped.length - shown.length) })}\n`);
  }
}
