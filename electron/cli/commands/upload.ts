// upload: files, folders and links into the queue, or a report of what would go (--dry-run).
import type { Purpose } from '../../shared/limits';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text as readText } from 'node:stream/consumers';
import { Option } from 'commander';
import { findLinks } from '../../shared/links';
import type { Core } from '../../core/root/core';
import { RESERVED_KEYS, templateProblems } from '../../shared/metadata';
import { nameAliasesPath } from '../../core/store/data-folder';
import { gather, type NamedWork } from '../../core/media/intake';
import { nameAliases } from '../../core/media/name-alias';
import { findIndex, searchIndexes } from '../../core/api/indexes';
import type { IndexSummary } from '../../shared/indexes';
import { m } from '../../shared/i18n';
import { CliError, openCliCore } from '../context';
import { program, globals } from '../program';
import { dispatch, openForWork } from '../run-work';
import { overrides, fileUseOf, concurrencyOption, parseBytes, parseMetadataPair } from '../options';
import { printPreflight } from '../dry-run';

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
            throw new CliError(m.cli_links_unread({ file: listFile, error: error.code ?? error.message }));
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
        throw new CliError(m.cli_copies_both());
      }
      const links = await linksFrom(paths, options.linksFrom);
      const files = paths.filter((arg) => !ADDRESS.test(arg));
      if (files.length === 0 && links.length === 0) {
        throw new CliError(
          options.linksFrom !== undefined
            ? m.cli_no_links_in({
                source: options.linksFrom === '-' ? m.cli_standard_input() : options.linksFrom,
              })
            : m.cli_name_something(),
        );
      }
      // Into an index means for search: the files are checked against what Marengo needs.
      if (options.index !== undefined && options.for !== undefined && options.for !== 'search') {
        throw new CliError(m.cli_index_with_for({ purpose: options.for }));
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
        throw new CliError(m.cli_metadata_unusable({ problems: problems.join(' ') }));
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

/** The index `--index` names, or a usage error that says how to find or make one. */
async function indexNamed(core: Core, nameOrId: string): Promise<IndexSummary> {
  let indexes: IndexSummary[];
  try {
    indexes = await searchIndexes(core.client);
  } catch (error) {
    await core.close();
    throw new CliError(m.cli_indexes_unread({ name: nameOrId, error: (error as Error).message }), 1);
  }
  const index = findIndex(indexes, nameOrId);
  if (index) return index;
  await core.close();
  throw new CliError(m.cli_no_index_named({ name: JSON.stringify(nameOrId) }));
}
