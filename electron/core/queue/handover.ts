import { createHash, timingSafeEqual } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { UploadItem } from '../../shared/uploads';
import { filePath } from '../../shared/ipc-schemas';
import { settingsSchema } from '../../shared/settings';
import { PURPOSES, type FileUse, type Purpose } from '../../shared/limits';
import type { CopyPolicy } from '../../shared/upload-copy';
import { m } from '../../shared/i18n';
import { assertNever } from '../../shared/result';
import { watchFolderProblem } from '../watch/folder-rules';
import type { LentFolder } from '../watch/watch-service';
import type { IntakeOptions, NamedWork } from '../media/intake';
import { runWork, type WorkMessage } from './work';
import type { UploadsChanged } from '../../shared/uploads';
import type { UploadEngine } from '../upload/engine';
import type { ConnectionGate, GateState } from '../api/gate';
import { pagesOf } from '../util/pages';

/**
 * The local channel through which a second process hands its work to the one that owns the queue
 * (the app, or a CLI already uploading), so there is only ever one scheduler. One request per
 * connection, newline-delimited JSON both ways; the answer streams until the work is finished.
 */
export type HandoverRequest =
  | { readonly op: 'status' }
  /** Files and folders by path, and links: the owner finds and reads them itself, as a scan here would. */
  | { readonly op: 'add'; readonly work: NamedWork; readonly for: Caller }
  | { readonly op: 'resume'; readonly for: Caller }
  /** Watch these folders for as long as this connection stays open. */
  | { readonly op: 'watch'; readonly folders: readonly LentFolder[]; readonly for: Caller };

/**
 * Whose work it is: the account it must land in and how its files are to be checked. The owner
 * takes it only when this matches its own; otherwise files meant for one account would be sent
 * with another's key.
 */
export interface Caller {
  /** The API origin the work is for (`https://api.twelvelabs.io`). */
  readonly origin: string;
  /**
   * SHA-256 of the key the caller brought (TWELVE_LABS_API_KEY), or null when it would use the
   * stored key, which is the owner's. Only a fingerprint crosses the socket, never the key.
   */
  readonly keyFingerprint: string | null;
  /** --for and --strict, when given. */
  readonly fileUse: Partial<FileUse>;
}

/** The owner's side of the comparison: its origin, its key's fingerprint, its file use. */
export type OwnerAccount = () => Promise<{ origin: string; keyFingerprint: string | null; fileUse: FileUse }>;

/** SHA-256 of a key, as `Caller.keyFingerprint` carries it. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Why the owner will not take a caller's work, as facts: the caller says it in its own language
 * (`refusalWords`), which need not be the owner's.
 */
export type Refusal =
  | { readonly reason: 'origin'; readonly owner: string; readonly caller: string }
  | { readonly reason: 'key' }
  | { readonly reason: 'purpose'; readonly owner: Purpose; readonly caller: Purpose }
  | { readonly reason: 'strict' }
  | { readonly reason: 'copies'; readonly owner: CopyPolicy; readonly caller: CopyPolicy }
  /** A folder the owner will not watch (see `watchFolderProblem`). */
  | { readonly reason: 'folder'; readonly path: string }
  /** A request this version could not read. */
  | { readonly reason: 'request'; readonly issue?: string };

/** Why the owner will not take the caller's work; null when it will. */
export function callerMismatch(
  caller: Caller,
  owner: { origin: string; keyFingerprint: string | null; fileUse: FileUse },
): Refusal | null {
  if (caller.origin !== owner.origin) return { reason: 'origin', owner: owner.origin, caller: caller.origin };
  if (caller.keyFingerprint !== null && caller.keyFingerprint !== owner.keyFingerprint) return { reason: 'key' };
  const { for: purpose, skipUnusable, copies } = caller.fileUse;
  if (purpose !== undefined && purpose !== owner.fileUse.for) {
    return { reason: 'purpose', owner: owner.fileUse.for, caller: purpose };
  }
  // --strict only ever asks to skip; an owner that skips already takes the work.
  if (skipUnusable === true && !owner.fileUse.skipUnusable) return { reason: 'strict' };
  if (copies !== undefined && copies !== owner.fileUse.copies) {
    return { reason: 'copies', owner: owner.fileUse.copies, caller: copies };
  }
  return null;
}

/** A refusal in the caller's words, saying how to go on; `places` tell why a folder was refused. */
export function refusalWords(refusal: Refusal, places: { readonly home: string; readonly dataDir: string }): string {
  const elsewhere = m.handover_elsewhere();
  switch (refusal.reason) {
    case 'origin':
      return m.handover_origin({ owner: refusal.owner, caller: refusal.caller, elsewhere });
    case 'key':
      return m.handover_key({ elsewhere });
    case 'purpose':
      return m.handover_purpose({ owner: PURPOSES[refusal.owner].label(), caller: PURPOSES[refusal.caller].label() });
    case 'strict':
      return m.handover_strict();
    case 'copies': {
      const flag = refusal.caller === 'copy' ? '--make-copies' : '--no-copies';
      const words = { skip: m.handover_copies_skip, ask: m.handover_copies_ask, copy: m.handover_copies_make };
      return words[refusal.owner]({ flag });
    }
    case 'folder':
      return watchFolderProblem(refusal.path, places) ?? m.handover_folder({ path: refusal.path });
    case 'request':
      return refusal.issue ? m.handover_bad_request_because({ issue: refusal.issue }) : m.handover_bad_request();
    default:
      return assertNever(refusal);
  }
}

/** Watches folders for a connection until the returned function is called. */
export type WatchLender = (folders: readonly LentFolder[]) => () => void;

export type HandoverMessage =
  /** The queue for `status`, a page at a time: `more` on every page but the last. */
  | { readonly type: 'items'; readonly items: readonly UploadItem[]; readonly more?: true }
  /** Queue work as it goes (`upload`, `resume`): the same messages a local run follows. */
  | WorkMessage
  /** The owner watches the folders asked for; changes to their files follow. */
  | { readonly type: 'watching' }
  /** The owner will not take this work (another account, other checks): why, and how to go on. */
  | { readonly type: 'refused'; readonly refusal: Refusal };

/*
 * Any process of this user can reach the channel, so a request gets the checks the window's IPC
 * gets: whole paths only, links only as web links, metadata templates as the settings take them
 * (never the reserved fingerprint: a forged one would make a real file skip as a "duplicate"),
 * sizes bounded. Files are named, never described: the owner finds, reads and types them itself.
 */
const namedWork = z.strictObject({
  paths: z.array(filePath).max(100_000),
  links: z
    .array(
      z
        .string()
        .max(8192)
        .regex(/^https?:\/\//i, { error: () => m.link_incomplete() }),
    )
    .max(1_000_000),
  template: settingsSchema.shape.metadataTemplate,
  index: z.strictObject({ id: z.string().min(1).max(200), name: z.string().min(1).max(500) }).optional(),
});
/** Longest request line taken: a million links fit; a line without end is cut off, not kept. */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;
/** How long a connection may take to send its request, and how many are served at once. */
export interface ChannelLimits {
  readonly requestTimeoutMs: number;
  readonly maxClients: number;
}
const LIMITS: ChannelLimits = { requestTimeoutMs: 30_000, maxClients: 64 };
/** Items in one page of a `status` answer. */
const STATUS_PAGE = 1000;
const caller = z.strictObject({
  origin: z.string().max(2000),
  keyFingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  fileUse: z.strictObject({
    for: z.enum(Object.keys(PURPOSES) as [Purpose, ...Purpose[]]).optional(),
    skipUnusable: z.boolean().optional(),
    copies: z.enum(['skip', 'ask', 'copy']).optional(),
  }),
});
const request = z.discriminatedUnion('op', [
  z.object({ op: z.literal('status') }),
  z.object({ op: z.literal('add'), work: namedWork, for: caller }),
  z.object({ op: z.literal('resume'), for: caller }),
  z.object({
    op: z.literal('watch'),
    for: caller,
    folders: z
      .array(
        z.object({
          path: filePath,
          subfolders: z.boolean(),
          polling: z.enum(['auto', 'on', 'off']),
          metadataTemplate: settingsSchema.shape.metadataTemplate,
        }),
      )
      .min(1)
      .max(50),
  }),
]);

interface ServerOptions {
  readonly limits?: Partial<ChannelLimits>;
  /** Reaches named files whose names are not valid UTF-8 (see `nameAliases`). */
  readonly alias?: IntakeOptions['alias'];
  /** Why a folder may not be lent for watching (see `watchFolderProblem`); null when it may. */
  readonly folderProblem?: (path: string) => string | null;
}

/** Serves other processes' work on the owner's engine. */
/** What a queue server serves: the engine that runs the queue, and the connection it waits at. */
export interface QueueParts {
  readonly engine: UploadEngine;
  readonly gate: ConnectionGate;
}

export class QueueServer {
  readonly #server: Server;
  readonly #engine: UploadEngine;
  /** The connection every request waits at, whose changes followers are told. */
  readonly #gate: ConnectionGate;
  readonly #socket: string;
  readonly #clients = new Set<Socket>();
  /** Each follower of handed-over work, told when the server closes so finished work still says so. */
  readonly #followers = new Set<() => void | Promise<void>>();
  /** Who watches folders for a connection (the app's watch service); none: such requests are refused. */
  #lender: WatchLender | null = null;

  readonly #account: OwnerAccount;

  readonly #limits: ChannelLimits;
  readonly #secret: Buffer;
  readonly #alias: IntakeOptions['alias'];
  readonly #folderProblem: (path: string) => string | null;

  private constructor(
    { engine, gate }: QueueParts,
    held: { readonly socket: string; readonly secret: string },
    account: OwnerAccount,
    limits: ChannelLimits,
    options: ServerOptions,
  ) {
    this.#engine = engine;
    this.#gate = gate;
    this.#alias = options.alias;
    this.#folderProblem = options.folderProblem ?? (() => null);
    this.#socket = held.socket;
    this.#secret = Buffer.from(held.secret);
    this.#account = account;
    this.#limits = limits;
    this.#server = createServer((client) => this.#serve(client));
  }

  /**
   * Listens on the held queue's socket (a stale socket file from a killed owner is replaced),
   * readable by this user only, and answers only requests that carry the run's secret. `alias`
   * reaches named files whose names are not valid UTF-8 (see `nameAliases`).
   */
  static async listen(
    queue: QueueParts,
    held: { readonly socket: string; readonly secret: string },
    account: OwnerAccount,
    options: ServerOptions = {},
  ): Promise<QueueServer> {
    const server = new QueueServer(queue, held, account, { ...LIMITS, ...options.limits }, options);
    const socket = held.socket;
    if (process.platform !== 'win32') await rm(socket, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(socket, () => {
        server.#server.off('error', reject);
        resolve();
      });
    });
    if (process.platform !== 'win32') await chmod(socket, 0o600);
    return server;
  }

  /** Lets commands' `watch` run here: the owner watches their folders while they are connected. */
  lendWatching(lender: WatchLender): void {
    this.#lender = lender;
  }

  /** Takes no new work (connections are refused); work already taken is still followed. */
  stopAccepting(): void {
    if (this.#server.listening) this.#server.close();
  }

  async close(): Promise<void> {
    // Each says its last (`done` for finished work) before its connection is ended.
    await Promise.all([...this.#followers].map((follower) => follower()));
    for (const client of this.#clients) client.end();
    if (this.#server.listening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    if (process.platform !== 'win32') await rm(this.#socket, { force: true });
  }

  #serve(client: Socket): void {
    if (this.#clients.size >= this.#limits.maxClients) {
      client.destroy();
      return;
    }
    this.#clients.add(client);
    client.on('close', () => this.#clients.delete(client));
    client.on('error', () => client.destroy());
    const send = (message: HandoverMessage) => {
      if (!client.destroyed) client.write(`${JSON.stringify(message)}\n`);
    };
    client.setTimeout(this.#limits.requestTimeoutMs, () => client.destroy());
    // The request is read by hand, not by readline: readline keeps a line without end in memory
    // until the process runs out of it.
    const parts: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      const end = chunk.indexOf(0x0a);
      parts.push(end === -1 ? chunk : chunk.subarray(0, end));
      length += end === -1 ? chunk.length : end;
      if (length > MAX_REQUEST_BYTES) {
        client.destroy();
        return;
      }
      if (end === -1) return;
      client.off('data', onData);
      client.setTimeout(0);
      const line = Buffer.concat(parts).toString('utf8');
      // A request the engine could not take ends the answer; the client says the work did not finish.
      void this.#answer(line, send, client).catch(() => client.end());
    };
    client.on('data', onData);
  }

  #allowed(secret: unknown): boolean {
    if (typeof secret !== 'string') return false;
    const given = Buffer.from(secret);
    return given.length === this.#secret.length && timingSafeEqual(given, this.#secret);
  }

  #watchFor(folders: readonly LentFolder[], send: (message: HandoverMessage) => void, client: Socket): void {
    if (!this.#lender) {
      client.end();
      return;
    }
    const stop = followWatching(this.#engine, this.#gate, this.#lender, folders, send, client);
    this.#followers.add(stop);
    client.once('close', () => this.#followers.delete(stop));
  }

  async #answer(line: string, send: (message: HandoverMessage) => void, client: Socket): Promise<void> {
    let parsed: HandoverRequest;
    try {
      const { secret, ...rest } = JSON.parse(line) as { secret?: unknown };
      if (!this.#allowed(secret)) {
        // Not from this user's processes: nothing is said, and nothing is done.
        client.destroy();
        return;
      }
      parsed = request.parse(rest) as HandoverRequest;
    } catch (error) {
      const issue = error instanceof z.ZodError ? error.issues[0]?.message : undefined;
      send({ type: 'refused', refusal: { reason: 'request', ...(issue && { issue }) } });
      client.end();
      return;
    }
    const engine = this.#engine;
    if (parsed.op === 'status') {
      // A page at a time, each once the last has gone: a queue of a million is never one line.
      for await (const { items, more } of pagesOf(engine.listedPages(), STATUS_PAGE)) {
        if (client.destroyed) return;
        const line = `${JSON.stringify({ type: 'items', items, ...(more && { more }) })}\n`;
        if (!client.write(line)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              client.off('drain', done);
              client.off('close', done);
              resolve();
            };
            client.once('drain', done);
            client.once('close', done);
          });
        }
      }
      client.end();
      return;
    }
    const mismatch = callerMismatch(parsed.for, await this.#account());
    if (mismatch) {
      send({ type: 'refused', refusal: mismatch });
      client.end();
      return;
    }
    if (parsed.op === 'watch') {
      const refused = parsed.folders.find((folder) => this.#folderProblem(folder.path) !== null);
      if (refused) {
        send({ type: 'refused', refusal: { reason: 'folder', path: refused.path } });
        client.end();
        return;
      }
      this.#watchFor(parsed.folders, send, client);
      return;
    }
    const running = runWork(engine, this.#gate, parsed, { alias: this.#alias }, send);
    // Closing the owner ends the answer: `done` first for work that is finished.
    const onClosing = () => running.end();
    this.#followers.add(onClosing);
    client.once('close', onClosing);
    // Work the engine could not take ends the answer; the client says the work did not finish.
    await running.ended.catch(() => false);
    this.#followers.delete(onClosing);
    client.end();
  }
}

/** The watch part of `QueueServer`, apart for reading: folders watched for one connection. */
function followWatching(
  engine: UploadEngine,
  gate: ConnectionGate,
  lender: WatchLender,
  folders: readonly LentFolder[],
  send: (message: HandoverMessage) => void,
  client: Socket,
): () => void {
  const release = lender(folders);
  const paths = new Set(folders.map((folder) => folder.path));
  const onChange = (change: UploadsChanged) => {
    const items = change.items.filter((item) => item.watchFolder !== undefined && paths.has(item.watchFolder));
    if (items.length > 0) send({ type: 'change', change: { ...change, items, removed: [] } });
  };
  const onGate = (state: GateState) => send({ type: 'connection', state });
  engine.on('change', onChange);
  gate.on('change', onGate);
  send({ type: 'watching' });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    release();
    engine.off('change', onChange);
    gate.off('change', onGate);
    client.end();
  };
  client.once('close', stop);
  return stop;
}

/**
 * Sends one request to the owner and hands each message to `onMessage` until the owner ends the
 * answer. Resolves true when the work was finished (the last page of 'items' or 'done' arrived), false when the
 * owner went away first (a reset, or an answer that cannot be read: the connection is dropped);
 * rejects when nobody listens on `socket` (a dead owner's socket file refuses). Never throws
 * from an event: a killed owner must not take this process down with it.
 */
export function handOver(
  owner: { readonly socket: string; readonly secret: string },
  message: HandoverRequest,
  onMessage: (message: HandoverMessage) => void,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(owner.socket);
    let connected = false;
    let complete = false;
    connection.once('connect', () => {
      connected = true;
      connection.write(`${JSON.stringify({ ...message, secret: owner.secret })}\n`);
    });
    connection.on('error', (error) => (connected ? resolve(complete) : reject(error)));
    const lines = createInterface({ input: connection });
    // readline passes its input's errors on; the connection's own handler above answers them.
    lines.on('error', () => undefined);
    let dropped = false;
    lines.on('line', (line) => {
      if (dropped) return;
      const parsed = readMessage(line);
      if (!parsed) {
        dropped = true;
        connection.destroy();
        return;
      }
      if ((parsed.type === 'items' || parsed.type === 'done') && !parsed.more) complete = true;
      onMessage(parsed);
    });
    lines.once('close', () => resolve(complete));
    // A connection dropped here (an unreadable answer) ends without readline seeing an end.
    connection.once('close', () => resolve(complete));
  });
}

const MESSAGE_TYPES = new Set<HandoverMessage['type']>([
  'items',
  'accepted',
  'watching',
  'change',
  'connection',
  'done',
  'refused',
]);

/** A line from the owner, or null when it is not a message this version knows. */
function readMessage(line: string): HandoverMessage | null {
  try {
    const parsed = JSON.parse(line) as { type?: unknown } | null;
    return parsed && MESSAGE_TYPES.has(parsed.type as HandoverMessage['type']) ? (parsed as HandoverMessage) : null;
  } catch {
    return null;
  }
}
