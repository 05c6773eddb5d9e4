// watch: watched folders, here or through the queue's owner, until a signal.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { SKIP_WORDS } from '../../shared/uploads';
import type { Core } from '../../core/root/core';
import { handOver, type Caller, type Refusal } from '../../core/queue/handover';
import type { QueueOwner } from '../../core/queue/lock';
import { RESERVED_KEYS, templateProblems } from '../../shared/metadata';
import { pollingWords } from '../../shared/watch';
import { watchFolderProblem } from '../../core/watch/folder-rules';
import { WatchService, type LentFolder } from '../../core/watch/watch-service';
import { nameAliasesPath } from '../../core/store/data-folder';
import { nameAliases } from '../../core/media/name-alias';
import { CliError } from '../context';
import { jsonLine, Reporter } from '../report';
import { formatList, m } from '../../shared/i18n';
import { program, globals } from '../program';
import { OwnerUnreachable, openForWork, callerOf, refusedError } from '../run-work';
import { onConnection, reportEngine } from '../progress';
import { parseMetadataPair } from '../options';
import { reportSkipped } from '../added';

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
      if (problems.length > 0) throw new CliError(m.cli_metadata_unusable({ problems: problems.join(' ') }));
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
  let refused: Refusal | null = null;
  await handOver(owner, { op: 'watch', folders, for: caller }, (message) => {
    if (message.type === 'refused') {
      refused = message.refusal;
    } else if (message.type === 'watching') {
      watching = true;
      if (json) for (const folder of folders) jsonLine({ event: 'folder', path: folder.path, state: 'watching' });
      else
        process.stdout.write(
          `${m.cli_owner_watches({ pid: String(owner.pid), folders: formatList(folders.map((folder) => folder.path)) })}\n`,
        );
    } else if (message.type === 'change') {
      reporter.change(message.change);
    } else if (message.type === 'connection') {
      onConnection(message.state, (code) => process.exit(code));
    }
  }).catch(() => {
    throw new OwnerUnreachable(owner);
  });
  if (refused !== null) throw refusedError(refused);
  throw new CliError(watching ? m.cli_watcher_stopped() : m.cli_owner_cannot_watch(), watching ? 1 : 2);
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
  if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > 3600) throw new CliError(m.cli_settle());
  return seconds;
}
