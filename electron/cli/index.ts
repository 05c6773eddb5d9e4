import { readFile } from 'node:fs/promises';
import { text as readText } from 'node:stream/consumers';
import { Command, Option } from 'commander';
import { findLinks } from '../shared/links';
import { isLoopbackHost } from '../shared/settings';
import { formatBytes, isFinished, type UploadItem } from '../shared/uploads';
import { CONTENT_HASH_KEY, templateProblems } from '../shared/metadata';
import { intake, intakeLinks } from '../core/media/intake';
import { linkIdentity } from '../core/media/link-check';
import { openPreflight, preflightAll } from '../core/media/preflight';
import { describeFacts } from '../core/media/probe';
import type { SkippedPath } from '../core/media/scan';
import { UploadEngine, type FileToAdd } from '../core/upload/engine';
import {
  CliError,
  openContext,
  parseBytes,
  parseMetadataPair,
  parseMetadataValues,
  type CliContext,
  type GlobalOptions,
} from './context';
import { describe, jsonLine, Reporter } from './report';

const program = new Command()
  .name('twelvelabs-uploader')
  .description('Upload media to TwelveLabs and manage your assets, without the window.')
  .option('--api-url <url>', 'API base URL (else TWELVELABS_BASE_URL, else the app setting)')
  .option('--data-dir <dir>', "where the queue and settings live (default: the app's own folder)")
  .option('--json', 'print one JSON object per line instead of text', false)
  .showHelpAfterError();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** The file and link checks, as the app runs them; links on this computer only against a local API. */
function checks(context: CliContext) {
  return openPreflight(() => context.settings.duplicateDetection, {
    allowPrivateLinks: () => isLoopbackHost(new URL(context.baseUrl).hostname),
  });
}

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

/** Runs the engine over the queue until nothing is left to do, pausing cleanly on Ctrl-C. */
async function runQueue(context: CliContext, overrides: { filesInFlight?: number; bandwidthLimit?: number }) {
  const json = globals().json === true;
  const reporter = new Reporter(json);
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const preflight = checks(context);
  const engine = await UploadEngine.open({
    journal: context.journal,
    client: context.client,
    gate: context.gate,
    settings: () => ({ ...context.settings, ...given }),
    check: preflight.check,
  });
  engine.on('change', (change) => reporter.change(change));
  // Outages and rate limits are waited out (and said); a rejected key cannot fix itself here.
  engine.gate.on('change', (state) => {
    if (state.kind === 'key-rejected') {
      process.stderr.write(
        '\nYour API key was rejected. Set a valid TWELVE_LABS_API_KEY (or update it in the app), then run "resume".\n',
      );
      void engine
        .close()
        .then(() => context.journal.close())
        .then(() => process.exit(2));
    } else if (!json && state.kind === 'offline') {
      process.stdout.write('\nWaiting for network: uploads continue by themselves when the connection is back.\n');
    } else if (!json && state.kind === 'rate-limited') {
      process.stdout.write(
        `\nSlowed down: TwelveLabs asked us to wait until ${new Date(state.until).toLocaleTimeString()}.\n`,
      );
    } else if (json) {
      jsonLine({ event: 'connection', ...state });
    }
  });
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    if (!json) process.stdout.write('\nPausing: reporting what was sent so far...\n');
    void engine.close().then(async () => {
      await context.journal.close();
      if (json) jsonLine({ event: 'paused' });
      else process.stdout.write('Paused. Run "resume" to continue where this stopped.\n');
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  engine.start();
  return { engine, reporter };
}

async function finish(
  engine: UploadEngine,
  reporter: Reporter,
  context: CliContext,
  ids: ReadonlySet<string> | null,
): Promise<void> {
  await engine.whenIdle();
  await engine.close();
  const items = engine.items().filter((item) => ids === null || ids.has(item.id));
  reporter.summary(items);
  await context.journal.close();
  process.exitCode = items.every((item) => item.status.kind === 'ready') ? 0 : 1;
}

function concurrencyOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new CliError('--concurrency takes a whole number from 1 to 16');
  return n;
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
  .action(
    async (
      paths: string[],
      options: { metadata: string[]; concurrency?: number; bandwidth?: number; dryRun: boolean; linksFrom?: string },
    ) => {
      const links = await linksFrom(paths, options.linksFrom);
      const files = paths.filter((arg) => !ADDRESS.test(arg));
      if (files.length === 0 && links.length === 0) {
        throw new CliError(
          options.linksFrom !== undefined
            ? `No links found in ${options.linksFrom === '-' ? 'standard input' : options.linksFrom}: list addresses that start with https://, one per line.`
            : 'Name files, folders or links to upload.',
        );
      }
      const context = await openContext(globals(), { key: !options.dryRun });
      // --metadata fields make this batch's template; without them, the app's template applies.
      const template = options.metadata.length
        ? options.metadata.map(parseMetadataPair)
        : context.settings.metadataTemplate;
      const problems = templateProblems(template, [CONTENT_HASH_KEY]);
      if (problems.length > 0) throw new CliError(`The metadata cannot be used: ${problems.join(' ')}`);
      const found: FileToAdd[] = [];
      const skipped: SkippedPath[] = [];
      if (files.length > 0) {
        for await (const file of intake(files, { template, onSkip: (skip) => skipped.push(skip) })) found.push(file);
      }
      found.push(...intakeLinks(links, { template }));
      if (options.dryRun) {
        await printPreflight(context, found, skipped);
        await context.journal.close();
        return;
      }
      const run = await runQueue(context, { filesInFlight: options.concurrency, bandwidthLimit: options.bandwidth });
      const ids = new Set(await run.engine.add(found));
      if (!globals().json) {
        const total = found.reduce((sum, file) => sum + file.size, 0);
        const linkCount = found.filter((file) => file.strategy === 'url').length;
        const fileCount = found.length - linkCount;
        const what = [
          fileCount > 0 || linkCount === 0
            ? `${fileCount} ${fileCount === 1 ? 'file' : 'files'} (${formatBytes(total)})`
            : '',
          linkCount > 0 ? `${linkCount} ${linkCount === 1 ? 'link' : 'links'}` : '',
        ].filter(Boolean);
        process.stdout.write(
          `Queued ${what.join(' and ')}.${skipped.length ? ` Skipped ${skipped.length} (system files or unreadable).` : ''}\n`,
        );
      }
      await finish(run.engine, run.reporter, context, ids);
    },
  );

type Verdict = 'upload' | 'rejected' | 'duplicate';

/** The preflight report: what would upload, what would not and why, as a table or JSON lines. */
async function printPreflight(
  context: CliContext,
  found: readonly FileToAdd[],
  skipped: readonly SkippedPath[],
): Promise<void> {
  const preflight = checks(context);
  const results = await preflightAll(found, (file) =>
    file.problem
      ? Promise.resolve({ ok: false, kind: file.kind, mime: file.mime, facts: null, ...file.problem } as const)
      : preflight.check(file),
  );
  preflight.close();
  const rows = await Promise.all(
    results.map(async (result, index) => {
      const file = found[index]!;
      const identity = file.strategy === 'url' ? linkIdentity(file.path) : result.ok ? result.sha256 : null;
      const known = result.ok && identity ? await context.journal.uploadedAs(identity) : undefined;
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
  } else {
    const words: Record<Verdict, string> = { upload: 'Upload', rejected: "Can't upload", duplicate: 'Already there' };
    for (const { file, result, verdict, reason, size } of rows) {
      const facts = result.facts ? describeFacts(result.facts) : '';
      process.stdout.write(
        `${words[verdict].padEnd(14)}${formatBytes(size).padStart(9)}  ${file.relativePath}${facts ? `  [${facts}]` : ''}\n`,
      );
      if (reason) process.stdout.write(`${' '.repeat(25)}${reason}\n`);
    }
    for (const skip of skipped) process.stdout.write(`${'Skipped'.padEnd(23)}  ${skip.path}  (${skip.reason})\n`);
    const count = (verdict: Verdict) => rows.filter((row) => row.verdict === verdict).length;
    process.stdout.write(
      `${count('upload')} to upload, ${count('rejected')} can't be uploaded, ${count('duplicate')} already in your library, ${skipped.length} skipped.\n`,
    );
  }
  process.exitCode = rows.every((row) => row.verdict === 'upload') ? 0 : 1;
}

program
  .command('resume')
  .description('Continue the queue where it stopped (after Ctrl-C, a crash, or a restart).')
  .option('-c, --concurrency <n>', 'files uploading at once', concurrencyOption)
  .option('-b, --bandwidth <rate>', 'upper limit for all uploads together, e.g. 5MB', parseBytes)
  .action(async (options: { concurrency?: number; bandwidth?: number }) => {
    const context = await openContext(globals());
    const run = await runQueue(context, { filesInFlight: options.concurrency, bandwidthLimit: options.bandwidth });
    await run.engine.resume('all');
    const open = run.engine.items().filter((item) => !isFinished(item.status));
    if (!globals().json) process.stdout.write(`Resuming ${open.length} files.\n`);
    await finish(run.engine, run.reporter, context, new Set(open.map((item) => item.id)));
  });

program
  .command('status')
  .description('Show the queue: every file and where it stands.')
  .action(async () => {
    const context = await openContext(globals(), { key: false });
    const engine = await UploadEngine.open({
      journal: context.journal,
      client: context.client,
      settings: () => context.settings,
    });
    const items = engine.items();
    printItems(items);
    await context.journal.close();
  });

function printItems(items: readonly UploadItem[]): void {
  if (globals().json) {
    for (const item of items) jsonLine({ event: 'item', ...item });
    return;
  }
  if (items.length === 0) process.stdout.write('The queue is empty.\n');
  for (const item of items)
    process.stdout.write(`${describe(item).padEnd(32)} ${formatBytes(item.size).padStart(9)}  ${item.relativePath}\n`);
}

const assets = program
  .command('assets')
  .description('List, inspect, delete and annotate assets in your TwelveLabs library.');

assets
  .command('list')
  .description('List assets, newest first.')
  .option('--page <n>', 'page number', '1')
  .option('--limit <n>', 'assets per page (up to 50)', '20')
  .addOption(new Option('--type <type>', 'only this type').choices(['video', 'audio', 'image']))
  .option('--filename <text>', 'only names containing this text')
  .action(async (options: { page: string; limit: string; type?: string; filename?: string }) => {
    const context = await openContext(globals());
    const page = await context.client.listAssets({
      page: Number(options.page),
      pageLimit: Number(options.limit),
      assetTypes: options.type ? [options.type] : undefined,
      filename: options.filename,
    });
    if (globals().json) {
      for (const asset of page.data) jsonLine(asset as unknown as Record<string, unknown>);
    } else {
      for (const asset of page.data) {
        process.stdout.write(
          `${asset._id}  ${asset.status.padEnd(10)} ${asset.size !== undefined ? formatBytes(asset.size).padStart(9) : '         '}  ${asset.filename}\n`,
        );
      }
      process.stdout.write(
        `Page ${page.pageInfo.page} of ${Math.max(1, page.pageInfo.total_page)} (${page.pageInfo.total_results} assets)\n`,
      );
    }
    await context.journal.close();
  });

assets
  .command('get')
  .description('Show everything about one asset.')
  .argument('<id>', 'asset id')
  .action(async (id: string) => {
    const context = await openContext(globals());
    const asset = await context.client.getAsset(id);
    process.stdout.write(`${JSON.stringify(asset, null, globals().json ? undefined : 2)}\n`);
    await context.journal.close();
  });

assets
  .command('delete')
  .description('Delete an asset. This cannot be undone.')
  .argument('<id>', 'asset id')
  .option('--force', 'delete even if an index still uses it', false)
  .action(async (id: string, options: { force: boolean }) => {
    const context = await openContext(globals());
    await context.client.deleteAsset(id, options.force);
    if (!globals().json) process.stdout.write(`Deleted ${id}.\n`);
    else jsonLine({ event: 'deleted', id });
    await context.journal.close();
  });

assets
  .command('metadata')
  .description("Change an asset's metadata: merge by default, or --replace, or --clear.")
  .argument('<id>', 'asset id')
  .option('-s, --set <key=value>', 'set a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('-u, --unset <key>', 'remove a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('--replace', 'replace all metadata with the --set keys', false)
  .option('--clear', 'remove all metadata', false)
  .action(async (id: string, options: { set: string[]; unset: string[]; replace: boolean; clear: boolean }) => {
    const context = await openContext(globals());
    const values = parseMetadataValues(options.set);
    if (options.clear) await context.client.clearMetadata(id);
    else if (options.replace) await context.client.replaceMetadata(id, values);
    else
      await context.client.updateMetadata(id, {
        ...values,
        ...Object.fromEntries(options.unset.map((key) => [key, null])),
      });
    const asset = await context.client.getAsset(id);
    process.stdout.write(`${JSON.stringify(asset.user_metadata ?? {}, null, globals().json ? undefined : 2)}\n`);
    await context.journal.close();
  });

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  if (globals().json) jsonLine({ event: 'error', message });
  else process.stderr.write(`${message}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
