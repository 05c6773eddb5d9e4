// upload --dry-run: what would upload, what would not and why, as a table or JSON lines.
import { type MediaKind, SKIP_WORDS } from '../shared/uploads';
import type { Core } from '../core/root/core';
import type { FileToAdd } from '../core/media/intake';
import type { MediaFacts } from '../core/media/facts';
import { isIndexable, type IndexSummary, indexCost } from '../shared/indexes';
import { m, formatBytes, formatMinutes, formatNumber } from '../shared/i18n';
import { copyBytes, copyTimeWords, copyWords, identityOf, offeredParts, type UploadCopy } from '../shared/upload-copy';
import { globals } from './program';
import { linkIdentity } from '../core/media/link-check';
import { preflightAll } from '../core/media/preflight';
import { describeFacts } from '../core/media/probe';
import type { SkippedPath } from '../core/media/scan';
import { jsonLine } from './report';

export type Verdict = 'upload' | 'rejected' | 'duplicate';

/** The preflight report: what would upload, what would not and why, as a table or JSON lines. */
export async function printPreflight(
  core: Core,
  found: readonly FileToAdd[],
  skipped: readonly SkippedPath[],
  index?: IndexSummary,
): Promise<void> {
  const results = await preflightAll(found, (file) =>
    file.problem
      ? Promise.resolve({ ok: false, kind: file.kind, mime: file.mime, facts: null, ...file.problem } as const)
      : core.check(file),
  );
  const rows = await Promise.all(
    results.map(async (result, index) => {
      const file = found[index]!;
      // An upload copy, made first (or offered); a programme in parts is known by its first part.
      const copy = result.copy ?? null;
      const hash = file.strategy === 'url' ? linkIdentity(file.path) : (result.sha256 ?? null);
      const identity = hash && identityOf(hash, copy?.part);
      // What this machine uploaded, then what the Library copy knows: the same answers as an upload.
      const known =
        (result.ok || copy) && identity
          ? ((await core.journal.uploadedAs(identity)) ?? (await core.library.findByHash(identity)) ?? undefined)
          : undefined;
      const verdict: Verdict = known ? 'duplicate' : !result.ok ? 'rejected' : 'upload';
      const reason = known
        ? m.cli_already_as({ name: known.name, id: known.assetId })
        : !result.ok
          ? result.message
          : result.warnings.join(' ');
      // A link's size is what its site said when it was checked.
      const size = result.size ?? file.size;
      return { file, result, verdict, reason, known, size, copy: known ? null : copy };
    }),
  );
  if (globals().json) {
    for (const { file, result, verdict, reason, known, size, copy } of rows) {
      jsonLine({
        event: 'preflight',
        path: file.path,
        relativePath: file.relativePath,
        size,
        kind: result.kind,
        verdict,
        ...(!result.ok && { code: result.code }),
        ...(reason && { message: reason }),
        ...(known && { assetId: known.assetId }),
        ...(result.facts && { facts: result.facts }),
        ...(copy && {
          copy: {
            format: copy.format,
            width: copy.width,
            height: copy.height,
            parts: offeredParts(copy),
            estimateBytes: copyBytes(copy),
            estimateSeconds: (copy.estimateSeconds ?? 0) * offeredParts(copy),
          },
        }),
      });
    }
    for (const skip of skipped) jsonLine({ event: 'skipped', ...skip });
    if (index) {
      const { videos, seconds } = videoToIndex(rows);
      jsonLine({ event: 'index', id: index.id, name: index.name, videos, minutes: Math.ceil(seconds / 60) });
    }
  } else {
    const words: Record<Verdict, string> = {
      upload: m.cli_upload(),
      rejected: m.status_rejected(),
      duplicate: m.cli_already_there(),
    };
    for (const { file, result, verdict, reason, size, copy } of rows) {
      const facts = result.facts ? describeFacts(result.facts) : '';
      process.stdout.write(
        `${words[verdict].padEnd(14)}${formatBytes(size).padStart(9)}  ${file.relativePath}${facts ? `  [${facts}]` : ''}\n`,
      );
      // The copy a file goes as (or that is on offer beside its refusal), for people; JSON has `copy`.
      const offer = copy && (result.ok ? m.cli_goes_as_copy : m.copy_offer)({ what: copyPlanWords(copy) });
      const said = [reason, offer].filter(Boolean).join(' ');
      if (said) process.stdout.write(`${' '.repeat(25)}${said}\n`);
    }
    for (const skip of skipped) {
      process.stdout.write(`${m.cli_skipped().padEnd(23)}  ${skip.path}  (${SKIP_WORDS[skip.reason]()})\n`);
    }
    const count = (verdict: Verdict) => formatNumber(rows.filter((row) => row.verdict === verdict).length);
    process.stdout.write(
      `${m.cli_dry_run_counts({ upload: count('upload'), rejected: count('rejected'), duplicate: count('duplicate'), skipped: formatNumber(skipped.length) })}\n`,
    );
    // What the copies come to, before any is made: every file's plan, in parts where it is split.
    const copies = rows.flatMap((row) => (row.copy ? [row.copy] : []));
    if (copies.length > 0) {
      const bytes = copies.reduce((sum, copy) => sum + copyBytes(copy), 0);
      const seconds = copies.reduce((sum, copy) => sum + (copy.estimateSeconds ?? 0) * offeredParts(copy), 0);
      const count = copies.reduce((sum, copy) => sum + offeredParts(copy), 0);
      process.stdout.write(
        `${m.cli_copies_total({ count: formatNumber(count), size: formatBytes(bytes), time: formatMinutes(seconds) })}\n`,
      );
    }
    if (index) {
      const { videos, seconds } = videoToIndex(rows);
      process.stdout.write(`${m.cli_then_index({ index: index.name, cost: indexCost(videos, seconds) })}\n`);
    }
  }
  process.exitCode = rows.every((row) => row.verdict === 'upload') ? 0 : 1;
}

/** A copy's plan with the time it takes, every part counted for a programme in parts. */
function copyPlanWords(copy: UploadCopy): string {
  return [copyWords(copy, true), copyTimeWords(copy, true)].filter((words) => words !== null).join(', ');
}

/**
 * The video an index would take from a dry run's rows, in whole minutes rounded up, as TwelveLabs
 * bills it: the cost to know before a batch goes into an index.
 */
function videoToIndex(
  rows: readonly { verdict: Verdict; result: { kind: MediaKind | null; facts: MediaFacts | null } }[],
): { videos: number; seconds: number } {
  const videos = rows.filter(
    (row) => row.verdict !== 'rejected' && row.result.kind !== null && isIndexable(row.result.kind),
  );
  const seconds = videos.reduce((sum, row) => sum + (row.result.facts?.durationSeconds ?? 0), 0);
  return { videos: videos.length, seconds };
}
