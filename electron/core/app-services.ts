import { join } from 'node:path';
import { isLoopbackHost } from '../shared/settings';
import type { ApiClient } from './api/client';
import { AppCore, type Dialogs } from './app-core';
import { journalPath, libraryPath } from './app-paths';
import { Library } from './library/library';
import { Logger } from './log/logger';
import { openPreflight } from './media/preflight';
import type { SecretStore } from './secrets/secret-store';
import { SettingsStore, type SettingsBacking } from './settings/settings-store';
import { Journal } from './store/journal';
import { LibraryCache } from './store/library-cache';
import { UploadEngine, type EngineOptions } from './upload/engine';
import { connect, type GateOptions } from './upload/gate';

export interface AppServicesOptions {
  readonly dataDir: string;
  /** electron-store in the app, `conf` elsewhere. */
  readonly settingsBacking: SettingsBacking;
  readonly secrets: SecretStore;
  readonly dialogs: Dialogs;
  readonly reveal: (path: string) => void;
  readonly copyText: (text: string) => void;
  readonly environment: Readonly<Record<string, string>>;
  /** Probe timing overrides, for tests that cannot wait for production back-off. */
  readonly gate?: Pick<GateOptions, 'probeMinMs' | 'probeMaxMs' | 'rampMs'>;
  /** Engine timing overrides, for tests that cannot wait for production back-off. */
  readonly engine?: Partial<
    Pick<EngineOptions, 'retry' | 'pollIntervalMs' | 'pollMaxMs' | 'eventIntervalMs' | 'stallMs'>
  >;
}

export interface AppServices {
  readonly core: AppCore;
  readonly engine: UploadEngine;
  readonly library: Library;
  readonly settings: SettingsStore;
  readonly client: ApiClient;
  readonly logger: Logger;
  /** Stops uploads cleanly (reporting what was sent) and closes the journal. */
  close(): Promise<void>;
}

/**
 * Everything behind the window, assembled the one way: settings, the API client (address from
 * settings, key from the keychain, both read per request), the journal, the engine, and the
 * contract implementation. The Electron main process and the browser test harness both call this.
 */
export async function openAppServices(options: AppServicesOptions): Promise<AppServices> {
  const settings = new SettingsStore(options.settingsBacking);
  const logger = new Logger(join(options.dataDir, 'logs'));
  logger.addSecret(await options.secrets.get().catch(() => null));
  const { client, gate } = connect({
    baseUrl: () => settings.get().apiBaseUrl,
    apiKey: () => options.secrets.get(),
    ...options.gate,
  });
  const journal = await Journal.open(journalPath(options.dataDir));
  const cache = await LibraryCache.open(libraryPath(options.dataDir));
  const library = new Library({ cache, client, gate, journal });
  const preflight = openPreflight(() => settings.get().duplicateDetection, {
    // Links on this computer are for the local emulator only: TwelveLabs could never fetch them.
    allowPrivateLinks: () => isLoopbackHost(new URL(settings.get().apiBaseUrl).hostname),
  });
  const engine = await UploadEngine.open({
    journal,
    client,
    gate,
    settings: () => settings.get(),
    check: preflight.check,
    findAsset: (sha256) => library.findByHash(sha256),
    ...options.engine,
  });
  const core = new AppCore({
    settings,
    secrets: options.secrets,
    client,
    engine,
    library,
    dialogs: options.dialogs,
    reveal: options.reveal,
    copyText: options.copyText,
    logger,
    environment: options.environment,
  });
  engine.on('change', (change) => {
    for (const item of change.items) {
      if (item.status.kind === 'failed')
        void logger.warn(`${item.name}: ${item.status.code} ${item.status.detail ?? item.status.message}`);
      // A finished upload appears in the Library without waiting for the next full read.
      if (item.status.kind === 'ready') library.noteUploaded(item.status.assetId);
    }
  });
  engine.start();
  const hasKey = (await options.secrets.get().catch(() => null)) !== null;
  // The first call at start doubles as the connection check behind the status bar's "Online".
  if (hasKey) {
    void library.refresh().catch((error: Error) => logger.warn(`library refresh: ${error.message}`));
    void engine.orphanedSessions().then(
      (orphans) => {
        core.noteReachable();
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
    core,
    engine,
    library,
    settings,
    client,
    logger,
    async close() {
      await engine.close();
      await library.close();
      preflight.close();
      await journal.close();
      await cache.close();
      await logger.flush();
    },
  };
}
