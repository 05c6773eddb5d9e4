import type { FileUse, Limits } from '../../shared/limits';
import { locateFfmpeg, type Ffmpeg } from '../media/ffmpeg';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { DEFAULT_API_BASE_URL, isLoopbackHost, isTwelveLabsAddress } from '../../shared/settings';
import type { ApiClient } from '../api/client';
import { dataFiles, journalPath, libraryPath, nameAliasesPath } from '../store/data-folder';
import { nameAliases } from '../media/name-alias';
import { watchFolderProblem } from '../watch/folder-rules';
import type { NetworkRoutes } from '../network/routes';
import { Library } from '../library/library';
import { Logger } from '../log/logger';
import { openPreflight } from '../media/preflight';
import { keyFingerprint, QueueServer, type WatchLender } from '../queue/handover';
import { acquireQueue, type HeldQueue } from '../queue/lock';
import { bindToOrigin, originOf, type BoundSecretStore } from '../secrets/bound-key';
import type { SecretStore } from '../secrets/secret-store';
import { SettingsStore, type SettingsBacking } from '../settings/settings-store';
import { Journal } from '../upload/journal';
import { LibraryCache } from '../library/library-cache';
import { openSound, setAside } from '../store/recovery';
import { UploadEngine, type EngineOptions, type EngineSettings } from '../upload/engine';
import { connect, type ConnectionGate, type GateOptions } from '../api/gate';
import { counted, m } from '../../shared/i18n';

export interface CoreOptions {
  readonly dataDir: string;
  /**
   * Opens `settings.json` in the data folder: electron-store in the app, `conf` in the CLI and
   * tests. Called again after a damaged file was set aside.
   */
  readonly settingsBacking: () => SettingsBacking;
  /** Where the key comes from: the keychain, or for the CLI the environment first. */
  readonly secrets: SecretStore;
  /** An address that wins over the setting (the CLI's --api-url and TWELVELABS_BASE_URL). */
  readonly baseUrl?: string;
  /**
   * `owner` takes the data folder's queue (see `acquireQueue`), runs the engine and serves other
   * processes' work; `reader` opens everything else and never writes the queue (status, assets).
   */
  readonly role: 'owner' | 'reader';
  /** Values that win over the settings for this process (the CLI's --concurrency, --bandwidth). */
  readonly engineSettings?: Partial<EngineSettings>;
  /** What the files are for, winning over the settings for this process (the CLI's --for, --strict). */
  readonly fileUse?: Partial<FileUse>;
  /** The FFmpeg upload copies are made with; null: none. Looked for (`locateFfmpeg`) unless given. */
  readonly ffmpeg?: Ffmpeg | null;
  /** The limits files are held to, where a test lowers them; TwelveLabs' own otherwise. */
  readonly limits?: Limits;
  /** Timing overrides, for tests that cannot wait for production back-off. */
  readonly gate?: Pick<GateOptions, 'probeMinMs' | 'probeMaxMs' | 'rampMs'>;
  /** Which way requests go: the system's proxy in the app; the environment's when absent (the CLI). */
  readonly routes?: NetworkRoutes;
  readonly engine?: Partial<
    Pick<
      EngineOptions,
      | 'retry'
      | 'pollIntervalMs'
      | 'pollMaxMs'
      | 'indexPollMs'
      | 'indexPollMaxMs'
      | 'eventIntervalMs'
      | 'stallMs'
      | 'holdQueued'
      | 'letGoMs'
    >
  >;
  /**
   * Running from source: any https address (or loopback http) may
   * be the API. A released build passes false, and then only TwelveLabs' own addresses are used,
   * whatever a settings file says. The CLI and the tests run from source.
   */
  readonly developer?: boolean;
  /** How long a killed owner's lock takes to go stale. */
  readonly lockStaleMs?: number;
}

/** Every part of the product behind a window or a command, opened together and closed in one order. */
export interface Core {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  /** The key for the address requests go to now (see `bindToOrigin`). */
  readonly secrets: BoundSecretStore;
  readonly client: ApiClient;
  readonly gate: ConnectionGate;
  readonly journal: Journal;
  readonly library: Library;
  readonly logger: Logger;
  /** Only for the owner of the queue. */
  readonly engine: UploadEngine | null;
  /** What start-up had to mend (a damaged file set aside), in words for the person. */
  readonly notices: readonly string[];
  /** The FFmpeg upload copies are made with, shown in Settings and `doctor`; null: none found. */
  readonly ffmpeg: Ffmpeg | null;
  /** The address requests go to now. */
  baseUrl(): string;
  /** The check of one file or link, as the engine runs it (the CLI's --dry-run). */
  readonly check: ReturnType<typeof openPreflight>['check'];
  /** The owner takes no more work from other processes (it is about to finish). */
  stopTakingWork(): void;
  /** Lets other processes' `watch` run on this owner (the app's watch service lends itself). */
  lendWatching(lender: WatchLender): void;
  /** Stops uploads cleanly (what was sent is reported and journalled), then closes every file. */
  close(): Promise<void>;
}

/**
 * The queue names every file and the settings every folder: readable by this user only, whoever
 * created them (a CLI run under another umask, a restored backup).
 */
async function makePrivate(dataDir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const files = [journalPath(dataDir), libraryPath(dataDir), dataFiles(dataDir).settings];
  for (const file of files.flatMap((file) => [file, `${file}-wal`, `${file}-shm`])) {
    await chmod(file, 0o600).catch(() => undefined);
  }
  await chmod(dataFiles(dataDir).logs, 0o700).catch(() => undefined);
}

/**
 * The settings store over `settings.json`; a file that cannot be read (cut off mid-write, not
 * JSON) is set aside and the defaults are used, said once in `notices`.
 */
async function openSettings(dataDir: string, open: () => SettingsBacking, notices: string[]): Promise<SettingsStore> {
  try {
    return new SettingsStore(open());
  } catch (error) {
    const file = dataFiles(dataDir).settings;
    if (!(error instanceof SyntaxError) || !(await stat(file).catch(() => null))) throw error;
    const aside = await setAside(file);
    notices.push(m.notice_settings({ path: aside }));
    return new SettingsStore(open());
  }
}

/**
 * The one composition root: the app, every CLI command and the test helpers open the product
 * here, so they cannot drift apart. Electron-free.
 */
export async function openCore(options: CoreOptions): Promise<Core> {
  const { dataDir } = options;
  // Private to this user: the queue names every file, and the lock's socket takes work.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dataDir, 0o700).catch(() => undefined);
  const held: HeldQueue | null =
    options.role === 'owner' ? await acquireQueue(dataDir, { staleMs: options.lockStaleMs ?? 10_000 }) : null;
  try {
    return await assemble(options, held);
  } catch (error) {
    await held?.release();
    throw error;
  }
}

async function assemble(options: CoreOptions, held: HeldQueue | null): Promise<Core> {
  const { dataDir } = options;
  const notices: string[] = [];
  const logger = new Logger(dataFiles(dataDir).logs);
  const settings = await openSettings(dataDir, options.settingsBacking, notices);
  const developer = options.developer ?? true;
  const baseUrl = () => {
    const address = options.baseUrl ?? settings.get().apiBaseUrl;
    return developer || isTwelveLabsAddress(address) ? address : DEFAULT_API_BASE_URL;
  };
  const secrets = bindToOrigin(options.secrets, baseUrl);
  logger.addSecret((await secrets.stored().catch(() => null))?.key ?? null);
  const { client, gate } = connect({
    baseUrl,
    apiKey: () => secrets.get(),
    ...(options.routes && { routes: options.routes }),
    onUnknown: (what) =>
      void logger.warn(
        `TwelveLabs sent ${what}, which this version does not know; it is handled as the nearest known value`,
      ),
    ...options.gate,
  });
  const opened = await openSound(journalPath(dataDir), (path) => Journal.open(path));
  const journal = opened.store;
  if (opened.aside) {
    const recovered = await journal.recoverFrom(opened.aside);
    notices.push(
      recovered > 0
        ? m.notice_queue_recovered({ ...counted(recovered), path: opened.aside })
        : m.notice_queue({ path: opened.aside }),
    );
  }
  // The Library copy is only a copy: a damaged one is set aside and read again from TwelveLabs.
  const libraryCopy = await openSound(libraryPath(dataDir), (path) => LibraryCache.open(path));
  const cache = libraryCopy.store;
  if (libraryCopy.aside) {
    notices.push(m.notice_library({ path: libraryCopy.aside }));
  }
  for (const notice of notices) void logger.warn(notice);
  await makePrivate(dataDir);
  const library = new Library({ cache, client, gate, journal });
  // Upload copies are offered and made only where FFmpeg runs.
  const ffmpeg = options.ffmpeg !== undefined ? options.ffmpeg : await locateFfmpeg();
  /** This process's choice, else the watched folder's own, else the setting. */
  const fileUse = (watchFolder?: string): FileUse => {
    const { filesAreFor, skipUnusable, uploadCopies, watchedFolders } = settings.get();
    const folder = watchFolder ? watchedFolders.find((entry) => entry.path === watchFolder) : undefined;
    return {
      for: options.fileUse?.for ?? folder?.filesAreFor ?? filesAreFor,
      skipUnusable: options.fileUse?.skipUnusable ?? skipUnusable,
      copies: ffmpeg ? (options.fileUse?.copies ?? folder?.uploadCopies ?? uploadCopies) : 'skip',
    };
  };
  const preflight = openPreflight(() => settings.get().duplicateDetection, {
    use: (file) => fileUse(file.watchFolder),
    ...(options.limits && { limits: options.limits }),
    // Links on this computer are for the local emulator only: TwelveLabs could never fetch them.
    allowPrivateLinks: () => isLoopbackHost(new URL(baseUrl()).hostname),
    ...(options.routes && { routes: options.routes }),
  });
  let engine: UploadEngine | null = null;
  let server: QueueServer | null = null;
  if (held) {
    engine = await UploadEngine.open({
      journal,
      client,
      gate,
      settings: () => ({ ...settings.get(), ...options.engineSettings }),
      check: preflight.check,
      findAsset: (sha256) => library.findByHash(sha256),
      ...(ffmpeg && { copies: { ffmpeg, dir: dataFiles(dataDir).uploadCopies } }),
      ...options.engine,
    });
    engine.on('change', (change) => {
      for (const item of change.items) {
        if (item.status.kind === 'failed')
          void logger.warn(`${item.name}: ${item.status.code} ${item.status.detail ?? item.status.message}`);
      }
    });
    // A move the one table refuses is a bug: the item stays where it was, and the log says so.
    engine.on('refusedMove', (id, move) => void logger.warn(`refused move ${move} (item ${id})`));
    // A finished upload appears in the Library without waiting for the next full read.
    engine.on('processed', (asset) => library.noteProcessed(asset));
    engine.on('indexed', (assetId, index) => library.noteIndexed(assetId, index));
    // A new schedule (or bandwidth) applies at once, not at the next file.
    const running = engine;
    settings.on('change', () => running.reconsider());
    server = await QueueServer.listen(
      { engine, gate },
      held,
      async () => {
        const key = await secrets.get().catch(() => null);
        return { origin: originOf(baseUrl()), keyFingerprint: key ? keyFingerprint(key) : null, fileUse: fileUse() };
      },
      {
        alias: nameAliases(nameAliasesPath(dataDir)),
        folderProblem: (path) => watchFolderProblem(path, { home: homedir(), dataDir }),
      },
    );
  }
  return {
    dataDir,
    settings,
    secrets,
    client,
    gate,
    journal,
    library,
    logger,
    engine,
    notices,
    ffmpeg,
    baseUrl,
    check: preflight.check,
    stopTakingWork: () => server?.stopAccepting(),
    lendWatching: (lender) => server?.lendWatching(lender),
    async close() {
      await server?.close();
      await engine?.close();
      gate.close();
      await library.close();
      preflight.close();
      await journal.close();
      await cache.close();
      await held?.release();
      await logger.flush();
    },
  };
}
