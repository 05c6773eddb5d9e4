import { homedir } from 'node:os';
import type { ApiClient } from '../api/client';
import type { ConnectionGate } from '../api/gate';
import { nameAliasesPath } from '../store/data-folder';
import { nameAliases } from '../media/name-alias';
import type { Trust } from '../network/trust';
import type { SecretStore } from '../secrets/secret-store';
import { watchFolderProblem } from '../watch/folder-rules';
import { WindowContract, type Dialogs } from './window-contract';
import { openCore, type CoreOptions } from './core';
import type { Library } from '../library/library';
import type { Logger } from '../log/logger';
import type { BoundSecretStore } from '../secrets/bound-key';
import type { SettingsStore } from '../settings/settings-store';
import type { UploadEngine } from '../upload/engine';
import { Updates, type Updater } from '../update/updates';
import { WatchService, type WatchedFolder } from '../watch/watch-service';
import type { Settings } from '../../shared/settings';
import type { UpdatesOff } from '../../shared/updates';
import { systemLocaleFromEnvironment, type SystemLocale } from '../../shared/i18n';

export interface AppServicesOptions extends Omit<CoreOptions, 'role' | 'baseUrl' | 'engineSettings'> {
  readonly dialogs: Dialogs;
  readonly reveal: (path: string) => void;
  readonly copyText: (text: string) => void;
  readonly environment: Readonly<Record<string, string>>;
  /** How long a watched file must stay unchanged to count as complete (tests shorten it). */
  readonly watch?: { readonly settleMs?: number; readonly pollMs?: number };
  /** The roots added to Node's at start (see `trustCertificates`). */
  readonly trust?: Trust | null;
  /** Where the proxy's login is kept, and what to tell when it changes (see `ResolvedRoutes`). */
  readonly proxyLogin?: { readonly store: SecretStore; readonly changed: () => void };
  /** The app's own updater; none (with the reason) where there are no updates, as from source. */
  readonly updater?: { readonly updater: Updater | null; readonly offReason: UpdatesOff };
  /** The system's languages and region (Electron's); else what the environment says. */
  readonly systemLocale?: SystemLocale;
}

export interface AppServices {
  readonly contract: WindowContract;
  readonly engine: UploadEngine;
  /** The connection every request waits at (offline, rate-limited, key rejected, disk full). */
  readonly gate: ConnectionGate;
  readonly library: Library;
  readonly settings: SettingsStore;
  readonly client: ApiClient;
  readonly logger: Logger;
  /** The key store through the current address: what is set here belongs to that origin. */
  readonly secrets: BoundSecretStore;
  /** What start-up had to mend (see `Core.notices`). */
  readonly notices: readonly string[];
  readonly updates: Updates;
  readonly watch: WatchService;
  /** Stops uploads cleanly (reporting what was sent) and closes the journal. */
  close(): Promise<void>;
}

/**
 * The window's side of the product: the core, as owner of the queue, with the IPC contract on
 * top. The Electron main process and the browser test harness both call this.
 */
export async function openAppServices(options: AppServicesOptions): Promise<AppServices> {
  const opened = await openCore({ ...options, role: 'owner' });
  const { settings, secrets, client, library, logger } = opened;
  const engine = opened.engine!;
  const updates = new Updates({
    updater: options.updater?.updater ?? null,
    offReason: options.updater?.offReason ?? 'source',
    current: options.environment.app ?? '',
    // Installing restarts the app: not while anything is being checked, sent or waiting to be.
    uploading: () => engine.countIn(['checking', 'copying', 'queued', 'uploading']) > 0,
  });
  const alias = nameAliases(nameAliasesPath(opened.dataDir));
  const watch = new WatchService({ engine, journal: opened.journal, alias, ...options.watch });
  // A `watch` command started while the app runs: the app watches its folders while it runs.
  opened.lendWatching((folders) => watch.lend(folders));
  const contract = new WindowContract({
    nameAlias: alias,
    systemLocale: options.systemLocale ?? systemLocaleFromEnvironment(process.env),
    ffmpeg: opened.ffmpeg,
    trust: options.trust ?? null,
    routes: options.routes,
    proxyLogin: options.proxyLogin,
    watchFolderProblem: (path) => watchFolderProblem(path, { home: homedir(), dataDir: opened.dataDir }),
    settings,
    secrets,
    client,
    engine,
    journal: opened.journal,
    gate: opened.gate,
    library,
    dialogs: options.dialogs,
    reveal: options.reveal,
    copyText: options.copyText,
    logger,
    environment: options.environment,
    developer: options.developer ?? true,
    updates,
    watch,
  });
  engine.start();
  updates.start();
  // The window's watched folders, from the settings; changed there, the watchers follow.
  const watchFolders = () => watch.set(watchedFolders(settings.get()));
  await watchFolders();
  settings.on('change', () => void watchFolders().catch((error: Error) => logger.warn(`watch: ${error.message}`)));
  const hasKey = (await secrets.get().catch(() => null)) !== null;
  // The first call at start doubles as the connection check behind the status bar's "Online".
  if (hasKey) {
    void library.refresh().catch((error: Error) => logger.warn(`library refresh: ${error.message}`));
    void engine.orphanedSessions().then(
      (orphans) => {
        contract.noteReachable();
        if (orphans.length > 0) {
          void logger.info(
            `${orphans.length} incomplete upload sessions on the server belong to no queued file; they expire within 24 hours`,
          );
        }
      },
      () => undefined,
    );
  }
  return {
    contract,
    engine,
    gate: opened.gate,
    library,
    settings,
    client,
    logger,
    secrets,
    notices: opened.notices,
    updates,
    watch,
    close: async () => {
      updates.close();
      await watch.close();
      await opened.close();
    },
  };
}

/** The settings' watched folders as the watch service takes them: each known by its path. */
function watchedFolders(settings: Settings): WatchedFolder[] {
  return settings.watchedFolders.map((folder) => ({
    id: folder.path,
    path: folder.path,
    paused: folder.paused,
    subfolders: folder.subfolders,
    polling: folder.polling,
    metadataTemplate: folder.metadataTemplate,
    // Its own index when it has one chosen (null: none), else the one new batches go into.
    index: folder.index === undefined ? settings.uploadIndex : folder.index,
  }));
}
