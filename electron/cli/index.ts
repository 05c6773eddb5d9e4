import type { FileUse, Purpose } from '../shared/limits';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { text as readText } from 'node:stream/consumers';
import { Command, CommanderError, Option } from 'commander';
import { findLinks } from '../shared/links';
import { formatReport, type ReportFormat } from '../shared/report';
import { scheduleHeld } from '../shared/words';
import { assertNever } from '../shared/result';
import { hasWorkAhead, isFinished, placeWords, SKIP_WORDS, type MediaKind, type UploadItem } from '../shared/uploads';
import type { Core } from '../core/core';
import { handOver, keyFingerprint, type Caller } from '../core/queue/handover';
import { originOf } from '../core/secrets/bound-key';
import { queueOwner, QueueOwned, type QueueOwner } from '../core/queue/lock';
import { publicItem } from '../core/store/journal';
import { storageProblem } from '../core/store/storage-failure';
import type { GateState } from '../core/api/gate';
import { RESERVED_KEYS, templateProblems } from '../shared/metadata';
import { pollingWords } from '../shared/watch';
import { networkProblemWords, passesByItself } from '../shared/network';
import { checkConnection } from '../core/network/doctor';
import { watchFolderProblem } from '../core/watch/folder-rules';
import { WatchService, type LentFolder } from '../core/watch/watch-service';
import { nameAliasesPath } from '../core/app-paths';
import { gather, type FoundSummary, type NamedWork } from '../core/media/intake';
import { nameAliases } from '../core/media/name-alias';
import { linkIdentity } from '../core/media/link-check';
import { preflightAll } from '../core/media/preflight';
import { describeFacts } from '../core/media/probe';
import { ffmpegFound } from '../core/media/ffmpeg';
import { ffmpegWords } from '../shared/upload-copy';
import type { MediaFacts } from '../core/media/facts';
import { createSearchIndex, findIndex, searchIndexes } from '../core/library/indexes';
import { indexCost, isIndexable, type IndexSummary } from '../shared/indexes';
import type { SkippedPath } from '../core/media/scan';
import type { FileToAdd } from '../core/media/intake';
import type { EngineSettings, UploadEngine } from '../core/upload/engine';
import {
  CliError,
  dataDirOf,
  machineRoutes,
  machineTrust,
  openCliCore,
  parseBytes,
  parseMetadataPair,
  parseMetadataValues,
  resolveKey,
  type GlobalOptions,
} from './context';
import { describe, jsonLine, Reporter } from './report';
import {
  ENGLISH,
  counted,
  currentLocale,
  formatBytes,
  formatList,
  formatNumber,
  localeFromEnvironment,
  m,
  useLocale,
} from '../shared/i18n';
import { regionSeparator } from '../shared/csv';

const program = new Command()
  .name('twelvelabs-uploader')
  .description('Upload media to TwelveLabs and manage your assets, without the window.')
  .option('--api-url <url>', 'API base URL (else TWELVELABS_BASE_URL, else the app setting)')
  .option('--data-dir <dir>', "where the queue and settings live (default: the app's own folder)")
  .option('--json', 'print one JSON object per line instead of text', false)
  .option(
    '--ca-cert <file>',
    "also trust this root certificate (PEM), as for a company's TLS inspection; repeatable",
    (file: string, all: string[] = []) => [...all, file],
  )
  .option('--proxy <url>', 'send every request through this proxy (else HTTPS_PROXY / HTTP_PROXY, with NO_PROXY)')
  .showHelpAfterError()
  // Human output speaks LC_ALL / LC_MESSAGES / LANG; --json is for scripts, in English whatever
  // the language, so the same run prints the same bytes everywhere.
  .hook('preAction', (command: Command) =>
    useLocale(command.opts<GlobalOptions>().json ? ENGLISH : localeFromEnvironment(process.env)),
  )
  // Commander's own exits (an unknown option, a missing argument) come back as errors, so a usage
  // problem ends with 2 like every other one; inherited by every command defined below.
  .exitOverride();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
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

/** What this process asks of the queue: files and links to add, or everything unfinished to resume. */
type Work = { readonly op: 'add'; readonly work: NamedWork } | { readonly op: 'resume' };

/**
 * Says what a held queue is waiting for, in words. What cannot pass by waiting ends the run: a
 * rejected key (exit 2), a proxy's login or policy, or a certificate not trusted (exit 1); the
 * files stay queued for `resume` once it is fixed.
 */
function onConnection(state: GateState, stop: (code: number) => void): void {
  const json = globals().json === true;
  if (state.kind === 'key-rejected') {
    process.stderr.write(
      '\nYour API key was rejected. Set a valid TWELVE_LABS_API_KEY (or update it in the app), then run "resume".\n',
    );
    stop(2);
  } else if (state.kind === 'blocked') {
    const words = networkProblemWords(state.problem);
    if (json) jsonLine({ event: 'connection', ...state });
    if (passesByItself(state.problem)) {
      if (!json) process.stdout.write(`\n${m.cli_waiting_fixed(words)}\n`);
      return;
    }
    process.stderr.write(`\n${words.label}. ${words.detail} Nothing failed: run "resume" once it is fixed.\n`);
    stop(1);
  } else if (json) {
    jsonLine({ event: 'connection', ...state });
  } else if (state.kind === 'offline') {
    process.stdout.write(`\n${m.cli_waiting_network()}\n`);
  } else if (state.kind === 'storage') {
    process.stderr.write(`\n${state.message}\n`);
  } else if (state.kind === 'rate-limited') {
    process.stdout.write(
      `\nSlowed down: TwelveLabs asked us to wait until ${new Date(state.until).toLocaleTimeString()}.\n`,
    );
  }
}

/** Says once each time the queue starts or stops waiting for the schedule's hours. */
function scheduleNotices(): (change: { totals: { scheduledUntil: number | null } }) => void {
  let said: number | null = null;
  return ({ totals }) => {
    if (totals.scheduledUntil === said) return;
    said = totals.scheduledUntil;
    if (globals().json) jsonLine({ event: 'schedule', waitingUntil: said });
    else if (said !== null) process.stdout.write(`\n${m.cli_schedule({ label: scheduleHeld(said).label })}\n`);
  };
}

function queuedLine(found: FoundSummary, queued: number, skipped: readonly SkippedPath[]): string {
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
function reportAdded(
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
const SKIPPED_SHOWN = 20;
const SKIP_ORDER: readonly SkippedPath['reason'][] = [
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
function reportSkipped(skipped: readonly SkippedPath[], verbose: boolean): void {
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

/**
 * Reports this process's engine as it works: each file's moves, the schedule's waits, and a held
 * connection (a rejected key ends the run with exit 2).
 */
function reportEngine(core: Core): { engine: UploadEngine; json: boolean; reporter: Reporter } {
  const engine = core.engine!;
  const json = globals().json === true;
  const reporter = new Reporter(json);
  engine.on('change', (change) => reporter.change(change));
  engine.on('change', scheduleNotices());
  engine.gate.on('change', (state) => onConnection(state, (code) => void core.close().then(() => process.exit(code))));
  return { engine, json, reporter };
}

/** Runs the work on this process's engine until nothing is left to do, pausing cleanly on Ctrl-C. */
async function runLocally(core: Core, work: Work, verbose: boolean): Promise<void> {
  const { engine, json, reporter } = reportEngine(core);
  let interruptedAt: number | null = null;
  const onSignal = () => {
    // A second Ctrl-C quits at once; one within a second of the first is the lock library's
    // exit hook sending the same signal again, not the person.
    if (interruptedAt !== null) {
      if (Date.now() - interruptedAt > 1000) process.exit(130);
      return;
    }
    interruptedAt = Date.now();
    if (!json) process.stdout.write(`\n${m.cli_pausing()}\n`);
    void core.close().then(() => {
      if (json) jsonLine({ event: 'paused' });
      else process.stdout.write(`${m.cli_paused()}\n`);
      process.exit(130);
    });
  };
  // `on`, not `once`: the lock library's exit hook re-sends a signal nobody else listens for.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  engine.start();
  let ids: Set<string>;
  let namedSkipped = false;
  if (work.op === 'add') {
    const alias = nameAliases(nameAliasesPath(core.dataDir));
    const { files, skipped, found } = await gather(work.work, { alias });
    ids = new Set(await engine.add(files, { ...(work.work.index && { index: work.work.index }) }));
    namedSkipped = reportAdded(work.work, found, ids.size, skipped, verbose);
  } else {
    await engine.resume('all');
    ids = new Set(
      engine
        .items()
        .filter((item) => !isFinished(item.status) || hasWorkAhead(item))
        .map((item) => item.id),
    );
    if (!json) process.stdout.write(`${m.cli_resuming(counted(ids.size))}\n`);
  }
  // Until the whole queue is idle: work another process handed over finishes here too, including
  // work taken just before this process stopped taking more.
  await engine.whenIdle();
  core.stopTakingWork();
  await engine.whenIdle();
  const items = engine.items().filter((item) => ids.has(item.id));
  await core.close();
  reporter.summary(items);
  process.exitCode = !namedSkipped && items.every(allWentIn) ? 0 : 1;
}

/**
 * Hands the work to the process that owns the queue (the app, or another CLI) and follows it
 * there with the same output and exit codes as when run here.
 */
async function handOverWork(owner: QueueOwner | null, work: Work, caller: Caller, verbose: boolean) {
  const json = globals().json === true;
  if (!owner) throw new OwnerUnreachable(null);
  const reporter = new Reporter(json);
  let items: readonly UploadItem[] = [];
  process.on('SIGINT', () => {
    if (!json)
      process.stdout.write(
        '\nStopped following. The files stay in the queue of the running process, which continues them.\n',
      );
    process.exit(130);
  });
  let refused: string | null = null;
  let namedSkipped = false;
  const finished = await handOver(owner, { ...work, for: caller }, (message) => {
    switch (message.type) {
      case 'refused':
        refused = message.message;
        break;
      case 'accepted': {
        const joins = `${m.cli_joins({ pid: String(owner.pid) })}\n`;
        if (work.op === 'add') {
          const found = message.found ?? { files: 0, links: 0, bytes: 0 };
          namedSkipped = reportAdded(work.work, found, message.ids.length, message.skipped ?? [], verbose, joins);
        } else if (!json) process.stdout.write(`${joins}${m.cli_resuming(counted(message.ids.length))}\n`);
        break;
      }
      case 'change':
        reporter.change(message.change);
        break;
      case 'connection':
        onConnection(message.state, (code) => process.exit(code));
        break;
      case 'done':
        items = message.items;
        break;
      case 'items':
      case 'watching':
        break;
      default:
        assertNever(message);
    }
  }).catch(() => {
    throw new OwnerUnreachable(owner);
  });
  // Work for another account, or to be checked another way, is not mixed into this queue.
  if (refused !== null) throw new CliError(refused, 2);
  if (!finished) {
    process.stderr.write(
      'The process that owns the queue stopped before these finished. Run "resume" to continue them.\n',
    );
    process.exitCode = 1;
    return;
  }
  reporter.summary(items);
  process.exitCode = !namedSkipped && items.every(allWentIn) ? 0 : 1;
}

/**
 * Whether a file went where it was sent: uploaded, and, with an index, searchable there (or not a
 * kind an index takes). Anything else makes the command end with 1.
 */
function allWentIn(item: UploadItem): boolean {
  if (item.status.kind !== 'ready') return false;
  return !item.index || item.index.state === 'searchable' || item.index.state === 'skipped';
}

/** The owner refused the connection: it is starting, or finishing and about to let go of the queue. */
class OwnerUnreachable extends Error {
  constructor(readonly owner: QueueOwner | null) {
    super(
      `TwelveLabs Uploader${owner ? ` (process ${owner.pid})` : ''} owns the upload queue in this data folder and did not answer. Wait for it to finish or quit it, then run this again.`,
    );
  }
}

/**
 * Runs the work here when this process owns the queue, else hands it to the owner. An owner that
 * does not answer is usually starting or just finishing: it is given a few seconds, and the queue
 * is taken over when it lets go.
 */
async function dispatch(
  opened: { core: Core; owner: QueueOwner | null },
  work: Work,
  engineSettings: Partial<EngineSettings>,
  fileUse: Partial<FileUse> = {},
  verbose = false,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    if (opened.core.engine) return runLocally(opened.core, work, verbose);
    const caller = callerOf(opened.core, fileUse);
    await opened.core.close();
    try {
      return await handOverWork(opened.owner, work, caller, verbose);
    } catch (error) {
      if (!(error instanceof OwnerUnreachable)) throw error;
      if (attempt >= 20) throw new CliError(error.message);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    opened = await openForWork(engineSettings, fileUse);
  }
}

/** Owns the queue when it can; otherwise the caller hands the work over to `owner`. */
async function openForWork(
  engineSettings: Partial<EngineSettings>,
  fileUse: Partial<FileUse> = {},
): Promise<{ core: Core; owner: null } | { core: Core; owner: QueueOwner | null }> {
  try {
    return { core: await openCliCore(globals(), 'owner', { key: true, engineSettings, fileUse }), owner: null };
  } catch (error) {
    if (!(error instanceof QueueOwned)) throw error;
    return { core: await openCliCore(globals(), 'reader', { key: false }), owner: error.owner };
  }
}

function overrides(options: { concurrency?: number; bandwidth?: number }): Partial<EngineSettings> {
  return {
    ...(options.concurrency !== undefined && { filesInFlight: options.concurrency }),
    ...(options.bandwidth !== undefined && { bandwidthLimit: options.bandwidth }),
  };
}

/**
 * Whose work this is, for the owner of the queue to compare with its own: the address this run
 * would upload to, the fingerprint of the key it brought (none: the stored key, the owner's), and
 * its --for and --strict.
 */
function callerOf(core: Core, fileUse: Partial<FileUse>): Caller {
  const key = process.env.TWELVE_LABS_API_KEY?.trim();
  return { origin: originOf(core.baseUrl()), keyFingerprint: key ? keyFingerprint(key) : null, fileUse };
}

/** --for, --strict and --make-copies/--no-copies for this run, each winning over its app setting when given. */
function fileUseOf(options: {
  for?: Purpose;
  strict?: boolean;
  makeCopies?: boolean;
  copies?: boolean;
}): Partial<FileUse> {
  return {
    ...(options.for !== undefined && { for: options.for }),
    ...(options.strict !== undefined && { skipUnusable: options.strict }),
    ...(options.makeCopies && { copies: 'copy' as const }),
    ...(options.copies === false && { copies: 'skip' as const }),
  };
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
  .option('--verbose', 'name every skipped file, not only the first 20', false)
  .addOption(
    new Option('--for <use>', "what the files are for: whose model's requirements they are checked against")
      .choices(['search', 'analysis', 'embeddings', 'entities'])
      .default(undefined, 'the app setting, else search'),
  )
  .option('--strict', "skip files that model can't use, instead of uploading them with a warning")
  .option(
    '--make-copies',
    "upload a copy TwelveLabs takes (made with FFmpeg) of files it won't take as they are: masters over 10 GB, 6K/8K, AAC audio, TIFF",
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

program
  .command('watch')
  .description(
    'Watch folders and upload what arrives in them, complete files only and each once, until Ctrl-C or SIGTERM.',
  )
  .argument('<folders...>', 'folders to watch (a missing one is waited for, as an unplugged drive)')
  .option(
    '-m, --metadata <key=value>',
    'metadata for every file (repeatable); tokens such as {folder} resolve per file',
    (v, all: string[]) => [...all, v],
    [],
  )
  .option('--settle <seconds>', 'how long a file must stay unchanged to count as complete', settleOption, 10)
  .option('--no-subfolders', 'only files directly in each folder')
  .option(
    '--poll',
    'read the folders on a timer instead of waiting for events (network drives; chosen by itself on Linux)',
  )
  .action(
    async (folders: string[], options: { metadata: string[]; settle: number; subfolders: boolean; poll?: boolean }) => {
      const template = options.metadata.map(parseMetadataPair);
      const problems = templateProblems(template, RESERVED_KEYS);
      if (problems.length > 0) throw new CliError(`The metadata cannot be used: ${problems.join(' ')}`);
      const opened = await openForWork({});
      const { core } = opened;
      const home = homedir();
      const refused = folders
        .map((folder) => watchFolderProblem(folder, { home, dataDir: core.dataDir }))
        .find(Boolean);
      if (refused) {
        await core.close();
        throw new CliError(refused, 2);
      }
      const lent = folders.map((folder) => ({
        path: resolve(folder),
        subfolders: options.subfolders,
        polling: options.poll ? ('on' as const) : ('auto' as const),
        metadataTemplate: template,
      }));
      if (!core.engine) {
        const caller = callerOf(core, {});
        await core.close();
        await watchThroughOwner(opened.owner, lent, caller);
        return;
      }
      await watchLocally(core, lent, options.settle);
    },
  );

/**
 * The app (or another command) owns the queue: it watches the folders for as long as this
 * command runs, and what happens to their files is reported here, as when watching here.
 */
async function watchThroughOwner(
  owner: QueueOwner | null,
  folders: readonly LentFolder[],
  caller: Caller,
): Promise<void> {
  const json = globals().json === true;
  if (!owner) throw new OwnerUnreachable(null);
  const reporter = new Reporter(json);
  const stop = (code: number) => {
    if (json) jsonLine({ event: 'stopped' });
    else process.stdout.write(`\n${m.cli_stopped_watching_app()}\n`);
    process.exit(code);
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(0));
  let watching = false;
  let refused: string | null = null;
  await handOver(owner, { op: 'watch', folders, for: caller }, (message) => {
    if (message.type === 'refused') {
      refused = message.message;
    } else if (message.type === 'watching') {
      watching = true;
      if (json) for (const folder of folders) jsonLine({ event: 'folder', path: folder.path, state: 'watching' });
      else
        process.stdout.write(
          `TwelveLabs Uploader (process ${owner.pid}) owns the queue; it watches ${folders.map((folder) => folder.path).join(', ')} while this runs. Ctrl-C to stop.\n`,
        );
    } else if (message.type === 'change') {
      reporter.change(message.change);
    } else if (message.type === 'connection') {
      onConnection(message.state, (code) => process.exit(code));
    }
  }).catch(() => {
    throw new OwnerUnreachable(owner);
  });
  if (refused !== null) throw new CliError(refused, 2);
  throw new CliError(
    watching
      ? 'The process that was watching these folders stopped. Run "watch" again to go on.'
      : 'The process that owns the queue cannot watch folders for this command. Add them under Watched folders in the app, or quit it first.',
    watching ? 1 : 2,
  );
}

/** Watches on this process's engine until a signal: SIGTERM ends with 0, Ctrl-C with 130. */
async function watchLocally(core: Core, folders: readonly LentFolder[], settle: number): Promise<void> {
  const { engine, json } = reportEngine(core);
  const service = new WatchService({
    engine,
    journal: core.journal,
    settleMs: settle * 1000,
    alias: nameAliases(nameAliasesPath(core.dataDir)),
  });
  // Named as they are passed over, as `upload` names what it skips.
  service.on('skipped', (skip) =>
    json
      ? reportSkipped([skip], true)
      : process.stdout.write(`${m.cli_skipped_one({ path: skip.path, reason: SKIP_WORDS[skip.reason]() })}\n`),
  );
  const said = new Map<string, string>();
  service.on('change', () => {
    for (const view of service.views()) {
      const now = `${view.state}:${view.polling}`;
      if (said.get(view.id) === now) continue;
      said.set(view.id, now);
      if (json) jsonLine({ event: 'folder', path: view.path, state: view.state, polling: view.polling });
      else if (view.state === 'watching')
        process.stdout.write(
          `${m.cli_watching({ what: [view.path, pollingWords(view.polling)].filter(Boolean).join(' ') })}\n`,
        );
      else if (view.state === 'missing') process.stdout.write(`${m.cli_folder_not_found({ path: view.path })}\n`);
    }
  });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    if (!json) process.stdout.write(`\n${m.cli_stopping()}\n`);
    void service
      .close()
      .then(() => core.close())
      .then(() => {
        if (json) jsonLine({ event: 'stopped' });
        else process.stdout.write(`${m.cli_stopped_watching()}\n`);
        process.exit(code);
      });
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(0));
  engine.start();
  await service.set(folders.map((folder) => ({ ...folder, id: folder.path, paused: false })));
  if (!json) process.stdout.write(`${m.cli_watch_start()}\n`);
  // Runs until a signal; the watchers keep the process alive.
  await new Promise<never>(() => undefined);
}

function settleOption(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600)
    throw new CliError('--settle takes seconds, from 0.1 to 3600');
  return seconds;
}

program
  .command('resume')
  .description('Continue the queue where it stopped (after Ctrl-C, a crash, or a restart).')
  .option('-c, --concurrency <n>', 'files uploading at once', concurrencyOption)
  .option('-b, --bandwidth <rate>', 'upper limit for all uploads together, e.g. 5MB', parseBytes)
  .action(async (options: { concurrency?: number; bandwidth?: number }) => {
    await dispatch(await openForWork(overrides(options)), { op: 'resume' }, overrides(options));
  });

program
  .command('status')
  .description('Show the queue: every file and where it stands (changes nothing).')
  .action(async () => {
    // The owner's view is live (progress included); without an owner, the journal as it was left.
    const owner = await queueOwner(dataDirOf(globals()));
    let items: readonly UploadItem[] | null = null;
    if (owner) {
      await handOver(owner, { op: 'status' }, (message) => {
        if (message.type === 'items') items = message.items;
      }).catch(() => undefined);
    }
    if (items === null) {
      const core = await openCliCore(globals(), 'reader', { key: false });
      items = (await core.journal.items()).map((item) => publicItem(item));
      await core.close();
    }
    printItems(items);
  });

program
  .command('doctor')
  .description(
    'Check the way to TwelveLabs: the route (direct or which proxy), certificates, the key, and a small real upload (deleted after). Prints a report for IT with nothing secret in it.',
  )
  .action(async () => {
    const core = await openCliCore(globals(), 'reader', { key: false });
    try {
      const origin = originOf(core.baseUrl());
      const check = await checkConnection({
        baseUrl: core.baseUrl(),
        apiKey: () => resolveKey(origin).catch(() => null),
        trust: machineTrust(),
        ...(machineRoutes() && { routes: machineRoutes()!.routes }),
        environment: {
          proxy: machineRoutes()?.from ?? 'direct',
          tool: 'twelvelabs-uploader',
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
        },
      });
      // Not part of the way to TwelveLabs, so it does not decide the exit code: said beside it.
      const ffmpeg = core.ffmpeg && (await ffmpegFound(core.ffmpeg));
      if (globals().json) {
        for (const step of check.steps) jsonLine({ event: 'check', ...step });
        jsonLine({
          event: 'ffmpeg',
          found: ffmpeg !== null,
          ...(ffmpeg && { path: ffmpeg.path, version: ffmpeg.version, encoder: ffmpeg.encoder.name }),
        });
        jsonLine({ event: 'summary', ok: check.ok, inspectedBy: check.inspectedBy });
      } else {
        for (const step of check.steps) process.stdout.write(`${step.ok ? '✓' : '✗'} ${step.what}: ${step.words}\n`);
        process.stdout.write(
          `${ffmpeg ? '✓' : '–'} ${m.copy_label()}: ${ffmpeg ? ffmpegWords(ffmpeg) : m.copy_ffmpeg_missing()}\n`,
        );
        process.stdout.write(`\n${m.cli_for_it()}\n\n${check.report}\n`);
      }
      process.exitCode = check.ok ? 0 : 1;
    } finally {
      await core.close();
    }
  });

const indexes = program
  .command('indexes')
  .description('List the indexes files can be searched in, or make one (`upload --index` puts videos into one).')
  .action(() =>
    withLibrary(async (core) => {
      const found = await searchIndexes(core.client);
      if (globals().json) {
        for (const index of found) jsonLine({ event: 'index', ...index });
        return;
      }
      if (found.length === 0) {
        process.stdout.write(`${m.cli_no_indexes()}\n`);
        return;
      }
      for (const index of found) {
        const hours = (index.totalSeconds / 3600).toFixed(1);
        const expires = index.expiresAt ? `, until ${new Date(index.expiresAt).toISOString().slice(0, 10)}` : '';
        process.stdout.write(
          `${index.id}  ${index.name}  (${index.videoCount} ${index.videoCount === 1 ? 'video' : 'videos'}, ${hours} h; searches ${index.options.join(' and ') || 'video'}${expires})\n`,
        );
      }
    }),
  );

indexes
  .command('create')
  .description('Make an index for search (Marengo). What it searches, and thumbnails, cannot be changed later.')
  .argument('<name>', 'its name; names are unique')
  .option('--no-visual', 'do not search what is seen')
  .option('--no-audio', 'do not search what is heard')
  .option('--thumbnails', 'also make thumbnails', false)
  .action((name: string, options: { visual: boolean; audio: boolean; thumbnails: boolean }) =>
    withLibrary(async (core) => {
      const result = await createSearchIndex(core.client, { name, ...options });
      if (!result.ok) throw new CliError(result.message);
      const made = result.value;
      if (globals().json) jsonLine({ event: 'index', ...made });
      else process.stdout.write(`${m.cli_index_made({ name: made.name, id: made.id })}\n`);
    }),
  );

program
  .command('report')
  .description("Write a batch's report: every file, its outcome, asset ID, SHA-256 and reason (changes nothing).")
  .option('--batch <id>', 'the batch to report (default: the newest); `report --list` shows them')
  .option('--list', 'list the batches instead: when, how many files, how they ended')
  .addOption(
    new Option('--format <format>', 'csv or json for scripts; sheet: a CSV for people, in your language and region')
      .choices(['csv', 'json', 'sheet'])
      .default('csv'),
  )
  .action(async (options: { batch?: string; list?: boolean; format: ReportFormat }) => {
    // Read from the journal file itself: SQLite lets a reader in beside the app that owns it.
    const core = await openCliCore(globals(), 'reader', { key: false });
    try {
      const batches = await core.journal.batches();
      if (options.list) {
        for (const batch of batches) {
          const files = Object.values(batch.states).reduce((sum, n) => sum + (n ?? 0), 0);
          const when = new Date(batch.startedAt).toISOString();
          if (globals().json) jsonLine({ event: 'batch', ...batch, files });
          else process.stdout.write(`${batch.batchId}  ${when}  ${m.count_files(counted(files))}\n`);
        }
        if (batches.length === 0 && !globals().json) process.stdout.write(`${m.cli_no_batches()}\n`);
        return;
      }
      const batchId = options.batch ?? batches[0]?.batchId;
      if (batchId === undefined) throw new CliError('There is no batch to report yet: nothing was ever added.');
      const rows = await core.journal.reportRows(batchId);
      if (rows.length === 0) throw new CliError(`There is no batch ${batchId} in this queue (see report --list).`);
      // The people's sheet opens in the region's spreadsheets as the app's own export does.
      const style = { separator: regionSeparator(currentLocale().region), bom: true };
      process.stdout.write(formatReport(rows, options.format, options.format === 'sheet' ? style : undefined));
    } finally {
      await core.close();
    }
  });

function printItems(items: readonly UploadItem[]): void {
  if (globals().json) {
    for (const item of items) jsonLine({ event: 'item', ...item });
    return;
  }
  if (items.length === 0) process.stdout.write(`${m.cli_queue_empty()}\n`);
  for (const item of items)
    process.stdout.write(`${describe(item).padEnd(32)} ${formatBytes(item.size).padStart(9)}  ${placeWords(item)}\n`);
}

/** Runs an assets command on a reader core (it never touches the queue), closing it after. */
async function withLibrary(run: (core: Core) => Promise<void>): Promise<void> {
  const core = await openCliCore(globals(), 'reader');
  try {
    await run(core);
  } finally {
    await core.close();
  }
}

const assets = program
  .command('assets')
  .description('List, inspect, delete and annotate assets in your TwelveLabs library.');

assets
  .command('list')
  .description('List assets, newest first.')
  .option('--page <n>', 'page number', '1')
  .option('--limit <n>', 'assets per page (up to 50)', '20')
  .addOption(new Option('--type <type>', 'only this type').choices(['video', 'audio', 'image', 'document']))
  .option('--filename <text>', 'only names containing this text')
  .action((options: { page: string; limit: string; type?: string; filename?: string }) =>
    withLibrary(async (core) => {
      const page = await core.client.listAssets({
        page: Number(options.page),
        pageLimit: Number(options.limit),
        ...(options.type && { assetTypes: [options.type] }),
        ...(options.filename && { filename: options.filename }),
      });
      if (globals().json) {
        for (const asset of page.data) jsonLine(asset as unknown as Record<string, unknown>);
        return;
      }
      for (const asset of page.data) {
        process.stdout.write(
          `${asset._id}  ${asset.status.padEnd(10)} ${asset.size !== undefined ? formatBytes(asset.size).padStart(9) : '         '}  ${asset.filename}\n`,
        );
      }
      process.stdout.write(
        `Page ${page.pageInfo.page} of ${Math.max(1, page.pageInfo.total_page)} (${page.pageInfo.total_results} assets)\n`,
      );
    }),
  );

assets
  .command('get')
  .description('Show everything about one asset.')
  .argument('<id>', 'asset id')
  .action((id: string) =>
    withLibrary(async (core) => {
      const asset = await core.client.getAsset(id);
      process.stdout.write(`${JSON.stringify(asset, null, globals().json ? undefined : 2)}\n`);
    }),
  );

assets
  .command('delete')
  .description('Delete an asset. This cannot be undone.')
  .argument('<id>', 'asset id')
  .option('--force', 'delete even if an index still uses it', false)
  .action((id: string, options: { force: boolean }) =>
    // Through the Library, so its local copy and the memory of what was uploaded forget the asset too.
    withLibrary(async (core) => {
      const result = await core.library.delete([id], options.force);
      if (!result.ok) throw new CliError(result.message, 1);
      if (result.value.inUse.length > 0) {
        throw new CliError('An index uses this asset, so TwelveLabs kept it. Add --force to delete it anyway.', 1);
      }
      if (!globals().json) process.stdout.write(`${m.cli_deleted({ id })}\n`);
      else jsonLine({ event: 'deleted', id });
    }),
  );

assets
  .command('metadata')
  .description("Change an asset's metadata: merge by default, or --replace, or --clear.")
  .argument('<id>', 'asset id')
  .option('-s, --set <key=value>', 'set a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('-u, --unset <key>', 'remove a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('--replace', 'replace all metadata with the --set keys', false)
  .option('--clear', 'remove all metadata', false)
  .action((id: string, options: { set: string[]; unset: string[]; replace: boolean; clear: boolean }) =>
    withLibrary(async (core) => {
      const values = parseMetadataValues(options.set);
      const result = options.clear
        ? await core.library.updateMetadata(id, 'clear', {})
        : options.replace
          ? await core.library.updateMetadata(id, 'replace', values)
          : await core.library.updateMetadata(id, 'merge', {
              ...values,
              ...Object.fromEntries(options.unset.map((key) => [key, null])),
            });
      if (!result.ok) throw new CliError(result.message, 1);
      process.stdout.write(`${JSON.stringify(result.value.metadata, null, globals().json ? undefined : 2)}\n`);
    }),
  );

// Nothing may fail unseen: a stray rejection is said and ends the run with exit 1.
process.on('unhandledRejection', (error) => {
  process.stderr.write(`Unexpected problem: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

program
  .parseAsync()
  .then(() => {
    // Run by the installed app (the same program), Electron would stay up after the last command.
    if (process.versions.electron) process.exit();
  })
  .catch((error: unknown) => {
    // Commander has said what was wrong (or shown the help) already.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    const message = storageProblem(error)?.message ?? (error instanceof Error ? error.message : String(error));
    if (globals().json) jsonLine({ event: 'error', message });
    else process.stderr.write(`${message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  });
