import { EventEmitter } from 'node:events';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { ContractEvents, ContractHandlers, EventChannel, EventMap } from '../../shared/ipc-contract';
import { fail, ok, type Result } from '../../shared/result';
import type { Connection, SessionState } from '../../shared/session';
import { isTwelveLabsAddress, settingsPatchSchema, type Settings } from '../../shared/settings';
import { SKIPPED_LISTED, type AddResult, type Selection, type SkippedFile } from '../../shared/uploads';
import type { PickedInView } from '../../shared/queue-pages';
import { QueuePages } from '../upload/queue-pages';
import type { Journal } from '../upload/journal';
import { can } from '../../shared/upload-status';
import { BATCH_FILES_SHOWN, formatReport } from '../../shared/report';
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { findLinks, isWebLink, LINK_TEXT_MAX_CHARS } from '../../shared/links';
import { intakeLinks, type IntakeOptions } from '../media/intake';
import type { Library } from '../library/library';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import type { UploadEngine } from '../upload/engine';
import { addNamed } from '../upload/add-named';
import type { ConnectionGate } from '../api/gate';
import type { Updates } from '../update/updates';
import type { WatchService } from '../watch/watch-service';
import type { WatchedFolderView } from '../../shared/watch';
import { networkProblemWords } from '../../shared/network';
import { checkConnection } from '../api/doctor';
import type { Trust } from '../network/trust';
import { ffmpegFound, type Ffmpeg } from '../media/ffmpeg';
import type { NetworkRoutes } from '../network/routes';
import { NetworkSettings } from '../network/network-settings';
import { routeWords } from '../network/proxy';
import { createSearchIndex, searchIndexes } from '../api/indexes';
import type { IndexChoice } from '../../shared/indexes';
import { regionSeparator, type CsvStyle } from '../../shared/csv';
import { currentLocale, m, pickLanguage, resolveLocale, useLocale, type SystemLocale } from '../../shared/i18n';

/** The native pickers; Electron's dialogs in the app, prepared paths in the browser test harness. */
export interface Dialogs {
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string[]>;
  /** A .txt or .csv file listing links; null when the person cancelled. */
  pickLinkList(): Promise<string | null>;
  /** Where to save an export; null when the person cancelled. */
  saveFile(suggestedName: string): Promise<string | null>;
  /** Asks before the API address changes to `host`; true when the person agreed. */
  confirmAddress(host: string): Promise<boolean>;
  /** A company's root certificate (PEM) to trust; null when the person cancelled. */
  pickCertificate(): Promise<string | null>;
}

export interface WindowContractDeps {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly client: ApiClient;
  readonly engine: UploadEngine;
  /** The queue's journal, which the window's pages are read from. */
  readonly journal: Journal;
  /** The connection every request waits at, told when a key or a proxy changes. */
  readonly gate: ConnectionGate;
  readonly library: Library;
  readonly dialogs: Dialogs;
  /** Shows a file in the system file manager. */
  readonly reveal: (path: string) => void;
  readonly copyText: (text: string) => void;
  readonly logger: Logger;
  /** Versions and platform, for diagnostics. */
  readonly environment: Readonly<Record<string, string>>;
  /** Running from source or with the developer switch: any https (or loopback) address may be used. */
  readonly developer: boolean;
  readonly updates: Updates;
  readonly watch: WatchService;
  /** The roots added to Node's at start (the system's store): names the company's inspecting root. */
  readonly trust: Trust | null;
  /** Which way the app's requests go (the system's proxy), for the connection check. */
  readonly routes: NetworkRoutes | undefined;
  /** Where the proxy's login is kept (the keychain), and what to tell when it changes. */
  readonly proxyLogin: { readonly store: SecretStore; readonly changed: () => void } | undefined;
  /** Why a folder may not be watched (see `watchFolderProblem`); null when it may. */
  readonly watchFolderProblem: (path: string) => string | null;
  /** Reaches added files whose names are not valid UTF-8 (see `nameAliases`). */
  readonly nameAlias: IntakeOptions['alias'];
  /** The system's preferred languages and regional setting, for the language setting's "system". */
  readonly systemLocale: SystemLocale;
  /** The FFmpeg upload copies are made with; null when none was found. */
  readonly ffmpeg: Ffmpeg | null;
}

/** A list of links as text, refused in words when it cannot be read or is too large to be one. */
async function readLinkList(path: string): Promise<Result<string>> {
  try {
    const { size } = await stat(path);
    if (size > LINK_TEXT_MAX_CHARS) {
      return fail('link_list_too_large', m.core_link_list_too_large());
    }
    return ok(await readFile(path, 'utf8'));
  } catch (error) {
    return fail(
      'link_list_unreadable',
      m.core_file_unreadable({ code: (error as NodeJS.ErrnoException).code ?? 'error' }),
    );
  }
}

/**
 * The whole IPC contract as one transport-free object. Electron's main process registers
 * `handlers` on ipcMain and forwards `events`; the browser test harness and unit tests drive the
 * very same object directly.
 */
export class WindowContract {
  readonly handlers: ContractHandlers;
  readonly events: ContractEvents;
  readonly #deps: WindowContractDeps;
  readonly #emitter = new EventEmitter();
  readonly #network: NetworkSettings;
  #connection: Connection = { kind: 'unknown' };
  #scanning = 0;
  /** The queue as the window reads it, a page at a time from the journal. */
  readonly #pages: QueuePages;

  constructor(deps: WindowContractDeps) {
    this.#deps = deps;
    this.#network = new NetworkSettings({
      settings: deps.settings,
      routes: deps.routes,
      apiUrl: () => deps.client.baseUrl,
      trust: deps.trust,
      changed: () => deps.gate.retryNow(),
    });
    const emitter = this.#emitter;
    this.events = {
      on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) {
        emitter.on(channel, listener);
        return () => emitter.off(channel, listener);
      },
    };
    useLocale(resolveLocale(deps.settings.get().language, deps.systemLocale));
    deps.settings.on('change', (settings) => {
      // Main's own words (tray, notifications, dialogs, failures) change with the window's.
      useLocale(resolveLocale(settings.language, deps.systemLocale));
      this.#emit('settings:changed', settings);
      void this.#publishSession();
    });
    deps.library.on('changed', (change) => {
      this.#emit('library:changed', change);
      const { sync } = change;
      if (!sync.offline && !sync.syncing && sync.syncedAt !== null) this.noteReachable();
    });
    // A write the engine's changes did not announce (their last one came before it landed): the
    // window reads its rows again.
    this.#pages = new QueuePages(deps.journal, deps.engine, () =>
      this.#emit('uploads:changed', { totals: deps.engine.totals() }),
    );
    deps.engine.on('change', (change) => {
      // Only the totals: the window reads the rows it draws again, so no change grows with the queue.
      this.#emit('uploads:changed', { totals: change.totals });
      // Bytes moving is proof enough of a connection, whatever started them.
      if (change.totals.bytesPerSecond > 0) this.noteReachable();
    });
    deps.updates.on('change', (info) => this.#emit('updates:changed', info));
    deps.watch.on('change', () => this.#emit('watch:changed', deps.watch.views()));
    // A restart asked for while files uploaded happens once none are.
    deps.engine.on('change', () => {
      if (deps.updates.info.state.kind === 'waiting-for-uploads') deps.updates.uploadsFinished();
    });
    // The status bar follows the engine's connection gate: online, offline, slowed down, key rejected.
    deps.gate.on('change', (state) => {
      this.#connection = state;
      void this.#publishSession();
    });
    const { engine, library } = deps;
    /** Saves a new list of watched folders and answers once the watchers follow it. */
    const saveFolders = async (next: Settings['watchedFolders']): Promise<Result<WatchedFolderView[]>> => {
      const saved = deps.settings.update({ watchedFolders: next });
      if (!saved.ok) return saved;
      await deps.watch.settled();
      return ok(deps.watch.views());
    };
    const done = async (work: Promise<void>): Promise<Result<null>> => {
      await work;
      return ok(null);
    };
    /** Of these files, those still waiting their turn: what Upload next and Upload now take. */
    const waiting = async (ids: readonly string[]): Promise<string[]> =>
      (await engine.itemsOf(ids)).flatMap((item) => (can(item.status, 'upload-next') ? [item.id] : []));
    /** The files a bulk action takes: as named, or the picked files the window's view shows. */
    const chosen = async <T extends Selection>(target: T | PickedInView): Promise<T | string[]> =>
      target === 'all' || Array.isArray(target) ? (target as T) : this.#pages.picked(target as PickedInView);
    this.handlers = {
      'session:state': async () => ok(await this.sessionState()),
      'settings:get': async () => ok(deps.settings.get()),
      'settings:ffmpeg': async () => ok(deps.ffmpeg && (await ffmpegFound(deps.ffmpeg))),
      'settings:update': async (patch) => deps.settings.update(patch),
      'settings:change-api-address': (address) => this.#changeAddress(address),
      'secrets:set-api-key': (key) => this.#setKey(key),
      'secrets:clear-api-key': async () => {
        await deps.secrets.clear();
        this.#connection = { kind: 'unknown' };
        return ok(await this.#publishSession());
      },
      'uploads:view': async (query) => ok(await this.#pages.page(query, engine.totals())),
      'uploads:row-ids': async (query, from, to) => ok(await this.#pages.rowIds(query, from, to)),
      'uploads:pick-files': async () => ok(await this.addPaths(await deps.dialogs.pickFiles())),
      'uploads:pick-folder': async () => ok(await this.addPaths(await deps.dialogs.pickFolder())),
      'uploads:add-dropped': async (paths) => ok(await this.addPaths(paths)),
      'uploads:add-links': (text) => this.addLinks(text),
      'uploads:pick-link-list': async () => {
        const path = await deps.dialogs.pickLinkList();
        if (path === null) return ok({ queued: 0, skipped: 0, skippedFiles: [] });
        const text = await readLinkList(path);
        return text.ok ? this.addLinks(text.value) : text;
      },
      'uploads:pause': (selection) => done(chosen(selection).then((files) => engine.pause(files))),
      'uploads:resume': (selection) => done(chosen(selection).then((files) => engine.resume(files))),
      'uploads:cancel': (selection) => done(chosen(selection).then((files) => engine.cancel(files))),
      'uploads:retry': (selection) => done(chosen(selection).then((files) => engine.retry(files))),
      'uploads:retry-indexing': (selection) => done(chosen(selection).then((files) => engine.retryIndexing(files))),
      'uploads:make-copies': (ids) => done(engine.makeCopies(ids)),
      'indexes:list': async () => {
        try {
          return ok(await searchIndexes(deps.client));
        } catch (error) {
          return fail('indexes_unreadable', m.core_indexes_unreadable({ reason: (error as Error).message }));
        }
      },
      'indexes:create': async (request) => {
        try {
          return await createSearchIndex(deps.client, request);
        } catch (error) {
          return fail('index_not_made', m.core_index_not_made({ reason: (error as Error).message }));
        }
      },
      'uploads:remove': (ids) => done(chosen(ids).then((files) => engine.remove(files))),
      'uploads:move-to-top': (ids) => done(chosen(ids).then(async (files) => engine.moveToTop(await waiting(files)))),
      'uploads:upload-now': (ids) => done(chosen(ids).then(async (files) => engine.uploadNow(await waiting(files)))),
      'uploads:clear-finished': async () => ok({ cleared: await engine.clearFinished() }),
      'uploads:undo-clear': async () => ok({ restored: await engine.undoClear() }),
      'uploads:history': async () => ok(await engine.history()),
      'uploads:export-report': async (batchId, format) => {
        const rows = await engine.report(batchId);
        if (rows.length === 0) return fail('no_batch', m.core_no_batch());
        const day = new Date(rows[0]!.addedAt).toISOString().slice(0, 10);
        const path = await deps.dialogs.saveFile(
          format === 'sheet' ? `TwelveLabs uploads ${day}.csv` : `TwelveLabs upload report ${day}.${format}`,
        );
        if (path === null) return ok(null);
        await writeFile(path, formatReport(rows, format, this.#csvStyle()), 'utf8');
        return ok({ path, count: rows.length });
      },
      'network:check': async () =>
        ok(
          await checkConnection({
            baseUrl: deps.client.baseUrl,
            ...(deps.routes && { routes: deps.routes }),
            apiKey: () => deps.secrets.get().catch(() => null),
            trust: this.#network.trust,
            environment: deps.environment,
          }),
        ),
      'network:set-proxy-login': async (login) => {
        const kept = deps.proxyLogin;
        if (!kept) return fail('proxy_login_unavailable', m.core_no_proxy_login());
        if (login) {
          deps.logger.addSecret(login.password);
          await kept.store.set(JSON.stringify(login));
        } else await kept.store.clear();
        kept.changed();
        deps.gate.retryNow();
        return ok(null);
      },
      'network:status': async () => ok(await this.#network.status()),
      'network:choose-certificate': async () => {
        const file = await deps.dialogs.pickCertificate();
        return file === null ? ok(null) : this.#network.useCertificateFile(file);
      },
      'network:forget-certificate': () => this.#network.useCertificateFile(null),
      'app:copy-diagnostics': async () => {
        deps.copyText(await this.diagnostics());
        return ok(null);
      },
      'uploads:batch-files': async (batchId) => ok(await engine.reportPage(batchId, BATCH_FILES_SHOWN)),
      'uploads:reveal': async (id) => {
        // A file of the list, or of a batch in History: cleared from the list, or skipped.
        const path = (await engine.item(id))?.path ?? (await engine.reportedPath(id));
        if (path === undefined) return fail('unknown_item', m.core_not_in_list());
        if (isWebLink(path)) return fail('not_a_file', m.core_link_not_file());
        deps.reveal(path);
        return ok(null);
      },
      'app:copy-text': async (text) => {
        deps.copyText(text);
        return ok(null);
      },
      'library:list': async (query, options) => ok(await library.page(query, options ?? {})),
      'library:ids': async (query) => ok(await library.ids(query)),
      'library:keys': async () => ok(await library.keys()),
      'library:refresh': async () => {
        void library.refresh().catch((error: Error) => deps.logger.warn(`library refresh: ${error.message}`));
        return ok(null);
      },
      'library:detail': (id) => library.detail(id),
      'library:update-metadata': (id, mode, values) => library.updateMetadata(id, mode, values),
      'library:set-key': (ids, key, value) => library.setKey(ids, key, value),
      'library:delete': (ids, force) => library.delete(ids, force),
      'library:add-to-index': (ids, index) => library.addToIndex(ids, index),
      'library:export': async (what, format) => {
        const day = new Date().toISOString().slice(0, 10);
        const path = await deps.dialogs.saveFile(`TwelveLabs assets ${day}.${format}`);
        if (path === null) return ok(null);
        return ok({ path, count: await library.exportTo(what, format, path, this.#csvStyle()) });
      },
      'library:reveal-source': async (id) => {
        const source = await library.source(id);
        if (!source) return fail('no_source', m.core_not_from_here());
        if (source.link) return fail('not_a_file', m.core_from_link());
        deps.reveal(source.path);
        return ok(null);
      },
      'watch:list': async () => ok(deps.watch.views()),
      'watch:add': async () => {
        const picked = await deps.dialogs.pickFolder();
        const refused = picked.map((path) => deps.watchFolderProblem(path)).find((problem) => problem !== null);
        if (refused) return fail('folder_not_watchable', refused);
        const known = new Set(deps.settings.get().watchedFolders.map((folder) => folder.path));
        const added = picked
          .filter((path) => !known.has(path))
          .map((path) => ({
            path,
            paused: false,
            subfolders: true,
            polling: 'auto' as const,
            // A new folder starts with the batch fields of the day.
            metadataTemplate: deps.settings.get().metadataTemplate,
          }));
        if (added.length === 0) return ok(deps.watch.views());
        return saveFolders([...deps.settings.get().watchedFolders, ...added]);
      },
      'watch:update': async (path, patch) => {
        const folders = deps.settings.get().watchedFolders;
        if (!folders.some((folder) => folder.path === path)) return fail('not_watched', m.core_not_watched());
        return saveFolders(folders.map((folder) => (folder.path === path ? { ...folder, ...patch } : folder)));
      },
      'watch:remove': (path) =>
        saveFolders(deps.settings.get().watchedFolders.filter((folder) => folder.path !== path)),
      'updates:get': async () => ok(deps.updates.info),
      'updates:check': async () => {
        await deps.updates.check();
        return ok(deps.updates.info);
      },
      'updates:restart': async () => {
        deps.updates.restart();
        return ok(deps.updates.info);
      },
    };
  }

  /** Brings Uploads to the front of the window, where the batch's summary is. */
  showUploads(): void {
    this.#emit('app:show-uploads', null);
  }

  /** A request got through at start: say "Online" instead of "Connecting" (the gate says the rest). */
  noteReachable(): void {
    if (this.#connection.kind !== 'unknown' || this.#deps.gate.state.kind !== 'online') return;
    this.#connection = { kind: 'online' };
    void this.#publishSession();
  }

  /**
   * What support needs to help: versions, settings, where the key is kept (never the key), queue
   * totals and recent problems. Everything passes through the log redaction once more.
   */
  async diagnostics(): Promise<string> {
    const { settings, engine, logger, environment } = this.#deps;
    const session = await this.sessionState();
    const text = [
      'TwelveLabs Uploader diagnostics',
      ...Object.entries(environment).map(([name, value]) => `${name}: ${value}`),
      `key: ${session.hasApiKey ? 'set' : 'not set'}, kept in ${session.keyStorage}`,
      `connection: ${session.connection.kind}${session.connection.kind === 'blocked' ? ` (${session.connection.problem.code} at ${session.connection.problem.host})` : ''}`,
      ...(await this.#networkLines()),
      `settings: ${JSON.stringify(settings.get())}`,
      `queue: ${JSON.stringify(engine.totals())}`,
      'recent problems:',
      ...logger
        .recentProblems()
        .slice(-50)
        .map((entry) => `  ${new Date(entry.at).toISOString()} ${entry.level} ${entry.message}`),
    ].join('\n');
    return logger.redact(text);
  }

  /** The network part of the diagnostics: which way requests go, and the roots added to Node's. */
  async #networkLines(): Promise<string[]> {
    const api = new URL(this.#deps.client.baseUrl);
    const proxy = (await this.#deps.routes?.proxyOf(api).catch(() => null)) ?? null;
    const roots = this.#network.trust?.added.map((root) => `${root.subject} (${root.from})`) ?? [];
    return [
      `network: ${api.host} ${routeWords(proxy)}`,
      `roots added to the built-in ones: ${roots.join(', ') || 'none'}`,
    ];
  }

  /** The index new batches go into (Settings), as the engine takes it. */
  #uploadIndex(): { index?: IndexChoice } {
    const index = this.#deps.settings.get().uploadIndex;
    return index ? { index } : {};
  }

  /** How the CSV files saved for people are written: a byte-order mark, and the chosen separator. */
  #csvStyle(): CsvStyle {
    const chosen = this.#deps.settings.get().csvSeparator;
    const separator =
      chosen === 'region'
        ? regionSeparator(currentLocale().region)
        : ({ comma: ',', semicolon: ';', tab: '\t' } as const)[chosen];
    return { separator, bom: true };
  }

  async sessionState(): Promise<SessionState> {
    const { secrets, settings } = this.#deps;
    return {
      hasApiKey: (await secrets.get().catch(() => null)) !== null,
      keyStorage: secrets.storage,
      keychainAvailable: secrets.storage !== 'session-only',
      apiBaseUrl: settings.get().apiBaseUrl,
      connection: this.#connection,
      locale: currentLocale(),
      systemLanguage: pickLanguage(this.#deps.systemLocale.languages),
    };
  }

  /**
   * Scans what the person added and queues it as it is found, reporting the scan's progress apart
   * from the queue. Returns once everything found is queued.
   */
  async addPaths(paths: readonly string[]): Promise<AddResult> {
    let found = 0;
    this.#scanning += 1;
    try {
      this.#emit('uploads:scan', { active: true, found });
      const named = { paths, links: [], template: this.#deps.settings.get().metadataTemplate };
      const added = await addNamed(this.#deps.engine, named, {
        ...this.#uploadIndex(),
        alias: this.#deps.nameAlias,
        onBatch: (batch) => {
          found = batch.found;
          this.#emit('uploads:scan', { active: true, found });
        },
      });
      const skippedFiles: SkippedFile[] = [
        ...added.skipped.slice(0, SKIPPED_LISTED),
        ...added.firstListed.map((path) => ({ path, reason: 'already-listed' as const })),
      ];
      return {
        queued: added.queued,
        skipped: added.skipped.length + added.alreadyListed,
        skippedFiles: skippedFiles.slice(0, SKIPPED_LISTED).map(({ path, reason }) => ({ path, reason })),
      };
    } finally {
      this.#scanning -= 1;
      this.#emit('uploads:scan', { active: this.#scanning > 0, found });
    }
  }

  /**
   * Queues every link in a text (pasted, dropped, or read from a list file). Addresses that are
   * no web links still get a row saying why, so nothing the person added vanishes.
   */
  async addLinks(text: string): Promise<Result<AddResult>> {
    const found = findLinks(text);
    if (found.links.length + found.other.length === 0) {
      return fail('no_links', m.core_no_links());
    }
    const template = this.#deps.settings.get().metadataTemplate;
    const items = intakeLinks([...found.links, ...found.other], { template });
    const { ids, alreadyListed } = await this.#deps.engine.add(items, this.#uploadIndex());
    const skippedFiles = alreadyListed
      .slice(0, SKIPPED_LISTED)
      .map(({ path }) => ({ path, reason: 'already-listed' as const }));
    return ok({ queued: ids.length, skipped: alreadyListed.length, skippedFiles });
  }

  /**
   * The address changes only after the person agreed in a native dialog that names the host. In
   * a released build it must be TwelveLabs' own; the key is not sent to a new origin, so the
   * window then asks for a key for it.
   */
  async #changeAddress(address: string): Promise<Result<SessionState>> {
    const { settings, dialogs, logger, developer } = this.#deps;
    const parsed = settingsPatchSchema.safeParse({ apiBaseUrl: address });
    if (!parsed.success || parsed.data.apiBaseUrl === undefined) {
      return fail('settings_invalid', parsed.error?.issues[0]?.message ?? m.set_full_address());
    }
    const next = parsed.data.apiBaseUrl;
    if (!developer && !isTwelveLabsAddress(next)) {
      return fail('address_not_allowed', m.core_only_twelvelabs());
    }
    const current = settings.get().apiBaseUrl;
    if (next === current) return ok(await this.sessionState());
    if (new URL(next).origin !== new URL(current).origin && !(await dialogs.confirmAddress(new URL(next).host))) {
      return ok(await this.sessionState());
    }
    const updated = await settings.update({ apiBaseUrl: next });
    if (!updated.ok) return updated;
    void logger.info(`API address changed to ${new URL(next).origin}`);
    this.#connection = { kind: 'unknown' };
    return ok(await this.#publishSession());
  }

  /** Checks a key with TwelveLabs before keeping it, so a typo is caught now, not at 3 a.m. */
  async #setKey(key: string): Promise<Result<SessionState>> {
    try {
      await this.#deps.client.verifyKey(key);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        return fail('api_key_invalid', m.core_key_not_accepted());
      }
      if (error instanceof ApiError && error.problem) {
        // Not the key, and not "offline": what stands in the way, and what to do about it.
        const words = networkProblemWords(error.problem);
        return fail('network_blocked', m.core_key_blocked(words));
      }
      if (error instanceof ApiError && (error.kind === 'network' || error.kind === 'stalled')) {
        return fail('offline', m.core_key_offline());
      }
      return fail(
        'key_check_failed',
        `TwelveLabs could not check the key right now (${(error as Error).message}). Try again in a minute.`,
      );
    }
    await this.#deps.secrets.set(key);
    this.#deps.logger.addSecret(key);
    this.#deps.gate.keyChanged();
    this.#connection = { kind: 'online' };
    // A new key may open a different library.
    void this.#deps.library
      .refresh()
      .catch((error: Error) => this.#deps.logger.warn(`library refresh: ${error.message}`));
    return ok(await this.#publishSession());
  }

  #emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    this.#emitter.emit(channel, payload);
  }

  async #publishSession(): Promise<SessionState> {
    const state = await this.sessionState();
    this.#emit('session:changed', state);
    return state;
  }
}
