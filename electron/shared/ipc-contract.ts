import type { CopyPolicy, FfmpegFound } from './upload-copy';
import type { ConnectionCheck, NetworkStatus } from './network';
import type { IndexChoice, IndexSummary } from './indexes';
import type {
  ExportFormat,
  LibraryAsset,
  LibraryDetail,
  LibraryListOptions,
  LibraryPage,
  LibraryQuery,
  LibraryChanged,
  MetadataMode,
  AddedToIndex,
} from './library';
import type { Purpose } from './limits';
import type { BatchRecord, ReportFormat, ReportRow } from './report';
import type { MetadataValue, TemplateField } from './metadata';
import type { Result } from './result';
import type { SessionState } from './session';
import type { Settings, SettingsPatch } from './settings';
import type { UpdateInfo } from './updates';
import type { WatchedFolderView } from './watch';
import type { AddResult, ScanState, Selection, UploadTotals } from './uploads';
import type { PickedInView, QueuePage, RowsQuery, ViewQuery } from './queue-pages';

/**
 * The IPC contract, declared once. Each invoke channel maps to its argument tuple and its result;
 * each event channel maps to its payload. The preload, main's registrar, the renderer bridge and the
 * core implementation are all typed from these two maps, and `ipc-schemas.ts` validates every
 * argument named here.
 */
export interface InvokeMap {
  'session:state': { args: []; result: SessionState };
  'settings:get': { args: []; result: Settings };
  /** The FFmpeg upload copies are made with (Settings shows it); null when none was found. */
  'settings:ffmpeg': { args: []; result: FfmpegFound | null };
  /**
   * Every setting but the API address (only `settings:change-api-address` changes it) and the
   * paths only main's dialogs name (watched folders, the certificate file).
   */
  'settings:update': {
    args: [patch: Omit<SettingsPatch, 'apiBaseUrl' | 'watchedFolders' | 'certificateFile'>];
    result: Settings;
  };
  /**
   * Main asks the person (a native confirmation naming the new host) before the address changes.
   * The key stays with the address it was checked against, so the new one needs its own.
   */
  'settings:change-api-address': { args: [address: string]; result: SessionState };
  /** Checks the key with TwelveLabs, then stores it in the keychain. The key is never sent back. */
  'secrets:set-api-key': { args: [key: string]; result: SessionState };
  'secrets:clear-api-key': { args: []; result: SessionState };
  /** The rows the window draws and the whole list's numbers; the queue itself stays in main. */
  'uploads:view': { args: [query: ViewQuery]; result: QueuePage };
  /** The files of rows `from` to `to` of a view (both included), for a range picked with Shift. */
  'uploads:row-ids': { args: [view: RowsQuery, from: number, to: number]; result: string[] };
  /** Main opens the native dialog and queues what the person picked. */
  'uploads:pick-files': { args: []; result: AddResult };
  'uploads:pick-folder': { args: []; result: AddResult };
  /** Paths of dropped files, resolved in the preload from real `File` objects. */
  'uploads:add-dropped': { args: [paths: string[]]; result: AddResult };
  /** Links pasted or dropped as text (one per line, or a CSV's cells); each becomes a queue row. */
  'uploads:add-links': { args: [text: string]; result: AddResult };
  /** Main opens the native dialog for a .txt or .csv list of links and queues every link in it. */
  'uploads:pick-link-list': { args: []; result: AddResult };
  'uploads:pause': { args: [selection: Selection | PickedInView]; result: null };
  'uploads:resume': { args: [selection: Selection | PickedInView]; result: null };
  'uploads:cancel': { args: [selection: Selection | PickedInView]; result: null };
  'uploads:retry': { args: [selection: Selection | PickedInView]; result: null };
  /** Asks again for files TwelveLabs could not index (found first if they arrived: never billed twice). */
  'uploads:retry-indexing': { args: [selection: Selection | PickedInView]; result: null };
  /** Makes the upload copies offered for these refused files, and uploads them in their place. */
  'uploads:make-copies': { args: [ids: string[]]; result: null };
  /** The indexes uploads can go into (Marengo's), newest first. */
  'indexes:list': { args: []; result: IndexSummary[] };
  /** Makes an index for search; what it searches and thumbnails cannot be changed later. */
  'indexes:create': {
    args: [request: { name: string; visual: boolean; audio: boolean; thumbnails: boolean }];
    result: IndexSummary;
  };
  'uploads:remove': { args: [ids: string[] | PickedInView]; result: null };
  'uploads:move-to-top': { args: [ids: string[] | PickedInView]; result: null };
  /** "Upload now": these go at once, even outside the upload window. */
  'uploads:upload-now': { args: [ids: string[] | PickedInView]; result: null };
  /** Clears what is done; says how many. Undone with `uploads:undo-clear` for a few seconds. */
  'uploads:clear-finished': { args: []; result: { cleared: number } };
  'uploads:undo-clear': { args: []; result: { restored: number } };
  /** The batches this queue has seen, newest first, kept after their rows are cleared. */
  'uploads:history': { args: []; result: BatchRecord[] };
  /** Writes a batch's report (every file, its outcome and asset) to a file the person picks. */
  'uploads:export-report': {
    args: [batchId: string, format: ReportFormat];
    result: { path: string; count: number } | null;
  };
  /** A past batch opened from History: its first files (`BATCH_FILES_SHOWN`) and how many in all. */
  'uploads:batch-files': { args: [batchId: string]; result: { files: ReportRow[]; total: number } };
  /** Shows a file of the list, or of any batch in History (cleared or skipped), in the file manager. */
  'uploads:reveal': { args: [id: string]; result: null };
  /** Puts versions, settings (no secrets) and recent problems on the clipboard, for support. */
  'app:copy-diagnostics': { args: []; result: null };
  /** Puts a short text (an asset ID) on the clipboard. */
  'app:copy-text': { args: [text: string]; result: null };
  /**
   * Checks the way to TwelveLabs: routes, certificates, the key and a small real upload (deleted
   * after), with a report for IT. Goes straight out, even while the queue is held.
   */
  'network:check': { args: []; result: ConnectionCheck };
  /**
   * Keeps the proxy's login (Basic) in the keychain, or forgets it with null; never in settings or
   * logs. Requests waiting on the proxy go on with it.
   */
  'network:set-proxy-login': { args: [login: { user: string; password: string } | null]; result: null };
  /** Which way requests go now and who re-signs them, without sending anything but a handshake. */
  'network:status': { args: []; result: NetworkStatus };
  /**
   * Trusts a company's root certificate from a PEM file the person picks in the dialog (kept in
   * Settings, for the CLI too); null when they cancelled. Refused, in words, when it holds none.
   */
  'network:choose-certificate': { args: []; result: NetworkStatus | null };
  /** Stops trusting the chosen certificate file, at once. */
  'network:forget-certificate': { args: []; result: NetworkStatus };
  /**
   * The assets matching a query, from the local copy (instant, and offline): `limit` of them from
   * `offset` (all when not given), with how many match in all. A name search also asks TwelveLabs
   * unless `askServer` is false (a list read again after a change).
   */
  'library:list': { args: [query: LibraryQuery, options?: LibraryListOptions]; result: LibraryPage };
  /** The ids of every asset matching a query, for "select all" over more than is loaded. */
  'library:ids': { args: [query: LibraryQuery]; result: string[] };
  /** Every metadata key in the local copy but the content fingerprint, for choosing list columns. */
  'library:keys': { args: []; result: string[] };
  /** Reads the library from TwelveLabs again; `library:changed` says when it is done. */
  'library:refresh': { args: []; result: null };
  'library:detail': { args: [id: string]; result: LibraryDetail };
  /** merge: keys set to null are removed; replace: the values become all the metadata; clear: none. */
  'library:update-metadata': {
    args: [id: string, mode: MetadataMode, values: Record<string, MetadataValue | null>];
    result: LibraryAsset;
  };
  /** Sets one key (null: removes it) on many assets. */
  'library:set-key': {
    args: [ids: string[], key: string, value: MetadataValue | null];
    result: { changed: number; failed: { id: string; message: string }[] };
  };
  /** Deletes assets; ones used by an index come back in `inUse` unless `force`. */
  'library:delete': {
    args: [ids: string[], force: boolean];
    /** `indexes`: the names of the indexes that keep the ones in use. */
    result: { deleted: string[]; inUse: string[]; indexes: string[] };
  };
  /** Puts ready videos of the library into an index, each once (one already there is not sent). */
  'library:add-to-index': { args: [ids: string[], index: IndexChoice]; result: AddedToIndex };
  /**
   * Main asks where to save, then writes the chosen assets there (these ids, or every asset a query
   * matches); null when the person cancelled.
   */
  'library:export': {
    args: [what: string[] | LibraryQuery, format: ExportFormat];
    result: { path: string; count: number } | null;
  };
  /** Shows the file an asset was uploaded from in the system file manager. */
  'library:reveal-source': { args: [id: string]; result: null };
  /** The watched folders and where each stands. */
  'watch:list': { args: []; result: WatchedFolderView[] };
  /** Main opens the native folder dialog and watches what the person picked. */
  'watch:add': { args: []; result: WatchedFolderView[] };
  /** Pause or resume one, or change whether subfolders count and whether it is polled. */
  'watch:update': {
    args: [
      path: string,
      patch: {
        paused?: boolean;
        subfolders?: boolean;
        polling?: 'auto' | 'on' | 'off';
        metadataTemplate?: TemplateField[];
        /** null: what Settings says for all. */
        filesAreFor?: Purpose | null;
        /** What becomes of its files TwelveLabs cannot take; null: what Settings says for all. */
        uploadCopies?: CopyPolicy | null;
        /** The index its files go into; null: none. */
        index?: IndexChoice | null;
      },
    ];
    result: WatchedFolderView[];
  };
  /** Stops watching it. Nothing already uploaded, and no file, is deleted. */
  'watch:remove': { args: [path: string]; result: WatchedFolderView[] };
  /** This version and where its updates stand. */
  'updates:get': { args: []; result: UpdateInfo };
  /** "Check for updates": looks now (a new version downloads by itself). */
  'updates:check': { args: []; result: UpdateInfo };
  /** "Restart to update": now, or when the uploads finish if files are uploading. */
  'updates:restart': { args: []; result: UpdateInfo };
}

export interface EventMap {
  'session:changed': SessionState;
  'settings:changed': Settings;
  /** The queue moved; the window reads its rows again (`uploads:view`). */
  'uploads:changed': { readonly totals: UploadTotals };
  'uploads:scan': ScanState;
  'library:changed': LibraryChanged;
  'updates:changed': UpdateInfo;
  'watch:changed': WatchedFolderView[];
  /** Main asks the window to show Uploads (the end-of-batch notification was clicked). */
  'app:show-uploads': null;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeArgs<C extends InvokeChannel> = InvokeMap[C]['args'];
export type InvokeResult<C extends InvokeChannel> = Result<InvokeMap[C]['result']>;

/**
 * Runtime lists of the channels, for code that registers or exposes every one of them. Declared as
 * records so that a channel added to the maps above and forgotten here is a type error.
 */
const INVOKE_CHANNEL_SET = {
  'session:state': true,
  'settings:get': true,
  'settings:ffmpeg': true,
  'settings:update': true,
  'settings:change-api-address': true,
  'secrets:set-api-key': true,
  'secrets:clear-api-key': true,
  'uploads:view': true,
  'uploads:row-ids': true,
  'uploads:pick-files': true,
  'uploads:pick-folder': true,
  'uploads:add-dropped': true,
  'uploads:add-links': true,
  'uploads:pick-link-list': true,
  'uploads:pause': true,
  'uploads:resume': true,
  'uploads:cancel': true,
  'uploads:retry': true,
  'uploads:retry-indexing': true,
  'uploads:make-copies': true,
  'indexes:list': true,
  'indexes:create': true,
  'uploads:remove': true,
  'uploads:move-to-top': true,
  'uploads:upload-now': true,
  'uploads:clear-finished': true,
  'uploads:undo-clear': true,
  'uploads:history': true,
  'uploads:export-report': true,
  'uploads:batch-files': true,
  'uploads:reveal': true,
  'app:copy-diagnostics': true,
  'app:copy-text': true,
  'network:check': true,
  'network:set-proxy-login': true,
  'network:status': true,
  'network:choose-certificate': true,
  'network:forget-certificate': true,
  'library:list': true,
  'library:ids': true,
  'library:keys': true,
  'library:refresh': true,
  'library:detail': true,
  'library:update-metadata': true,
  'library:set-key': true,
  'library:delete': true,
  'library:add-to-index': true,
  'library:export': true,
  'library:reveal-source': true,
  'watch:list': true,
  'watch:add': true,
  'watch:update': true,
  'watch:remove': true,
  'updates:get': true,
  'updates:check': true,
  'updates:restart': true,
} as const satisfies Record<InvokeChannel, true>;
const EVENT_CHANNEL_SET = {
  'session:changed': true,
  'settings:changed': true,
  'uploads:changed': true,
  'uploads:scan': true,
  'library:changed': true,
  'updates:changed': true,
  'watch:changed': true,
  'app:show-uploads': true,
} as const satisfies Record<EventChannel, true>;
export const INVOKE_CHANNELS = Object.keys(INVOKE_CHANNEL_SET) as readonly InvokeChannel[];
export const EVENT_CHANNELS = Object.keys(EVENT_CHANNEL_SET) as readonly EventChannel[];

/** The core side of the contract: one async method per invoke channel. Transport-free. */
export type ContractHandlers = {
  readonly [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>>;
};

/** The event side: whoever hosts the core (Electron main, a test harness) subscribes here. */
export interface ContractEvents {
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** A DOM `File` from a drop event; opaque here because this module has no DOM types. */
export type DroppedFile = object;

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type MethodName<C extends string> = C extends `${infer Area}:${infer Action}`
  ? `${CamelCase<Area>}${Capitalize<CamelCase<Action>>}`
  : never;
type ListenerName<E extends string> = `on${Capitalize<MethodName<E>>}`;

/**
 * What the page sees as `window.api`: one function per capability (`api.settingsUpdate(patch)`),
 * one `onX(listener)` per event returning its unsubscribe. No channel names, no raw transport.
 */
export type BridgeApi = {
  readonly [C in Exclude<InvokeChannel, 'uploads:add-dropped'> as MethodName<C>]: (
    ...args: InvokeArgs<C>
  ) => Promise<InvokeResult<C>>;
} & {
  /**
   * Takes the dropped `File` objects themselves: the preload turns them into paths, so page script
   * cannot name a path the person did not drop.
   */
  readonly uploadsAddDropped: (files: readonly DroppedFile[]) => Promise<InvokeResult<'uploads:add-dropped'>>;
} & {
  readonly [E in EventChannel as ListenerName<E>]: (listener: (payload: EventMap[E]) => void) => () => void;
};

function camelCase(text: string): string {
  return text.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `uploads:pick-files` -> `uploadsPickFiles`, matching the `BridgeApi` type. */
export function methodName(channel: string): string {
  const [area = '', action = ''] = channel.split(':');
  return camelCase(area) + capitalize(camelCase(action));
}

/** `uploads:changed` -> `onUploadsChanged`. */
export function listenerName(channel: string): string {
  return `on${capitalize(methodName(channel))}`;
}

/**
 * Builds `window.api` from a transport. The preload passes `ipcRenderer`-backed functions; the
 * browser test harness passes functions that reach the same core through Playwright.
 */
export function createBridgeApi(transport: {
  invoke(channel: InvokeChannel, args: readonly unknown[]): Promise<unknown>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
  /** Where a dropped file lives on disk ('' for a file that did not come from the file system). */
  pathForFile(file: DroppedFile): string;
}): BridgeApi {
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    api[methodName(channel)] = (...args: unknown[]) => transport.invoke(channel, args);
  }
  api.uploadsAddDropped = (files: readonly DroppedFile[]) =>
    transport.invoke('uploads:add-dropped', [
      Array.from(files, (file) => transport.pathForFile(file)).filter((path) => path !== ''),
    ]);
  for (const channel of EVENT_CHANNELS) {
    api[listenerName(channel)] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  }
  return Object.freeze(api) as BridgeApi;
}
