// upload: files, folders and links into the queue, or a report of what would go (--dry-run).
import type { Purpose } from '../../shared/limits';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text as readText } from 'node:stream/consumers';
import { Option } from 'commander';
import { findLinks } from '../../shared/links';
import { SKIP_WORDS, type MediaKind } from '../../shared/uploads';
import type { Core } from '../../core/core';
import { RESERVED_KEYS, templateProblems } from '../../shared/metadata';
import { nameAliasesPath } from '../../core/app-paths';
import { gather, type NamedWork } from '../../core/media/intake';
import { nameAliases } from '../../core/media/name-alias';
import { linkIdentity } from '../../core/media/link-check';
import { preflightAll } from '../../core/media/preflight';
import { describeFacts } from '../../core/media/probe';
import type { MediaFacts } from '../../core/media/facts';
import { findIndex, searchIndexes } from '../../core/library/indexes';
import { indexCost, isIndexable, type IndexSummary } from '../../shared/indexes';
import type { SkippedPath } from '../../core/media/scan';
import type { FileToAdd } from '../../core/media/intake';
import { CliError, openCliCore, parseBytes, parseMetadataPair } from '../context';
import { jsonLine } from '../report';
import { formatBytes, formatNumber, m } from '../../shared/i18n';
import { program, globals } from '../program';
import { dispatch, openForWork, overrides, fileUseOf, concurrencyOption } from '../run-work';

/** "https://…", "file:///…", "ftp://…": an address, not a path (a Windows "C:\\" path has no "//"). */
const ADDRESS = /^[a-z][a-z0-9+.-]+:\/\//i;

/** The links named on the command line and in --links-from (a file, or - for standard input). */
async function linksFrom(args: readonly string[], listFile: string | undefined): Promise<string[]> {
  let text = args.filter((arg) => ADDRESS.test(arg)).join('\n');
  if (listFile !== undefined) {
    const list =
      listFile === '-'
        ? await readText(process.stdin)
        : await readFile(listFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
            throw new CliError(`Cannot read the list of links ${listFile} (${error.code ?? error.message}).`);
          });
    text += `\n${list}`;
  }
  const found = findLinks(text);
  return [...found.links, ...found.other];
}

program
  .command('upload')
  .description(
    'Upload files, folders (searched inside, skipping system clutter) and http(s) links (TwelveLabs fetches them).',
  )
  .argument('[paths...]', 'files, folders and links to upload')
  .option('--links-from <file>', 'also upload the links listed in this file, one per line (- reads standard input)')
  .option(
    '-m, --metadata <key=value>',
    'metadata for every file (repeatable); numbers and true/false keep their type',
    (v, all: string[]) => [...all, v],
    [],
  )
  .option('-c, --concurrency <n>', 'files uploading at once (default: the app setting)', concurrencyOption)
  .option('-b, --bandwidth <rate>', 'upper limit for all uploads together, e.g. 5MB (per second)', parseBytes)
  .option('--dry-run', 'check every file and print what would happen; upload nothing', false)
  .option('--verbose', 'name every skipped file, not only the first 20', false)
  .addOption(
    new Option('--for <use>', "what the files are for: whose model's requirements they are checked against")
      .choices(['search', 'analysis', 'embeddings', 'entities'])
      .default(undefined, 'the app setting, else search'),
  )
  .option('--strict', "skip files that model can't use, instead of uploading them with a warning")
  .option(
    '--make-copies',
    "upload a copy TwelveLabs takes (made with FFmpeg) of files it won't take as they are: masters over 10 GB, 6K/8K, programmes over 4 hours (in parts), AAC audio, TIFF",
  )
  .option('--no-copies', "skip files TwelveLabs won't take as they are, without offering a copy")
  // Declared so that --no-copies alone leaves the app's setting in force when neither is given.
  .addOption(new Option('--copies').hideHelp())
  .option(
    '--index <name-or-id>',
    'then put the videos into this index, so they can be searched (`indexes` lists them); checked for search',
  )
  .action(
    async (
      paths: string[],
      options: {
        metadata: string[];
        concurrency?: number;
        bandwidth?: number;
        dryRun: boolean;
        verbose: boolean;
        linksFrom?: string;
        for?: Purpose;
        strict?: boolean;
        makeCopies?: boolean;
        copies?: boolean;
        index?: string;
      },
    ) => {
      if (options.makeCopies && options.copies === false) {
        throw new CliError('--make-copies and --no-copies ask for opposite things: choose one.');
      }
      const links = await linksFrom(paths, options.linksFrom);
      const files = paths.filter((arg) => !ADDRESS.test(arg));
      if (files.length === 0 && links.length === 0) {
        throw new CliError(
          options.linksFrom !== undefined
            ? `No links found in ${options.linksFrom === '-' ? 'standard input' : options.linksFrom}: list addresses that start with https://, one per line.`
            : 'Name files, folders or links to upload.',
        );
      }
      // Into an index means for search: the files are checked against what Marengo needs.
      if (options.index !== undefined && options.for !== undefined && options.for !== 'search') {
        throw new CliError(`--index puts files where they are searched; it cannot go with --for ${options.for}.`);
      }
      const fileUse = fileUseOf({ ...options, ...(options.index !== undefined && { for: 'search' as const }) });
      const opened = options.dryRun
        ? { core: await openCliCore(globals(), 'reader', { key: options.index !== undefined, fileUse }), owner: null }
        : await openForWork(overrides(options), fileUse);
      const { core } = opened;
      // --metadata fields make this batch's template; without them, the app's template applies.
      const template = options.metadata.length
        ? options.metadata.map(parseMetadataPair)
        : core.settings.get().metadataTemplate;
      const problems = templateProblems(template, RESERVED_KEYS);
      if (problems.length > 0) {
        await core.close();
        throw new CliError(`The metadata cannot be used: ${problems.join(' ')}`);
      }
      const index = options.index === undefined ? undefined : await indexNamed(core, options.index);
      // Whole paths: whichever process owns the queue finds and reads them.
      const named: NamedWork = {
        paths: files.map((file) => resolve(file)),
        links,
        template,
        ...(index && { index: { id: index.id, name: index.name } }),
      };
      if (options.dryRun) {
        const { files: found, skipped } = await gather(named, { alias: nameAliases(nameAliasesPath(core.dataDir)) });
        await printPreflight(core, found, skipped, index);
        await core.close();
      } else {
        await dispatch(opened, { op: 'add', work: named }, overrides(options), fileUse, options.verbose);
      }
    },
  );

type Verdict = 'upload' | 'rejected' | 'duplicate';

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

/** The index `--index` names, or a usage error that says how to find or make one. */
async function indexNamed(core: Core, nameOrId: string): Promise<IndexSummary> {
  let indexes: IndexSummary[];
  try {
    indexes = await searchIndexes(core.client);
  } catch (error) {
    await core.close();
    throw new CliError(`Could not read your indexes to find ${nameOrId}: ${(error as Error).message}`, 1);
  }
  const index = findIndex(indexes, nameOrId);
  if (index) return index;
  await core.close();
  throw new CliError(
    `No index is named ${JSON.stringify(nameOrId)}. "twelvelabs-uploader indexes" lists yours; "indexes create NAME" makes one.`,
  );
}

/** The preflight report: what would upload, what would not and why, as a table or JSON lines. */
async function printPreflight(
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
      const identity = file.strategy === 'url' ? linkIdentity(file.path) : result.ok ? result.sha256 : null;
      // What this machine uploaded, then what the Library copy knows: the same answers as an upload.
      const known =
        result.ok && identity
          ? ((await core.journal.uploadedAs(identity)) ?? (await core.library.findByHash(identity)) ?? undefined)
          : undefined;
      const verdict: Verdict = !result.ok ? 'rejected' : known ? 'duplicate' : 'upload';
      const reason = !result.ok
        ? result.message
        : known
          ? `Already in your library as ${known.name} (asset ${known.assetId}).`
          : result.warnings.join(' ');
      // A link's size is what its site said when it was checked.
      const size = result.size ?? file.size;
      return { file, result, verdict, reason, known, size };
    }),
  );
  if (globals().json) {
    for (const { file, result, verdict, reason, known, size } of rows) {
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
    for (const { file, result, verdict, reason, size } of rows) {
      const facts = result.facts ? describeFacts(result.facts) : '';
      process.stdout.write(
        `${words[verdict].padEnd(14)}${formatBytes(size).padStart(9)}  ${file.relativePath}${facts ? `  [${facts}]` : ''}\n`,
      );
      if (reason) process.stdout.write(`${' '.repeat(25)}${reason}\n`);
    }
    for (const skip of skipped) {
      process.stdout.write(`${m.cli_skipped().padEnd(23)}  ${skip.path}  (${SKIP_WORDS[skip.reason]()})\n`);
    }
    const count = (verdict: Verdict) => formatNumber(rows.filter((row) => row.verdict === verdict).length);
    process.stdout.write(
      `${m.cli_dry_run_counts({ upload: count('upload'), rejected: count('rejected'), duplicate: count('duplicate'), skipped: formatNumber(skipped.length) })}\n`,
    );
    if (index) {
      const { videos, seconds } = videoToIndex(rows);
      process.stdout.write(`${m.cli_then_index({ index: index.name, cost: indexCost(videos, seconds) })}\n`);
    }
  }
  process.exitCode = rows.every((row) => row.verdict === 'upload') ? 0 : 1;
}
