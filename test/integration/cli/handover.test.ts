import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runWork } from '../../../electron/core/queue/work';
import {
  handOver,
  keyFingerprint,
  QueueServer,
  refusalWords,
  type HandoverMessage,
} from '../../../electron/core/queue/handover';
import { closeAfter } from '../../helpers/cleanup';
import { watchFolderProblem } from '../../../electron/core/watch/folder-rules';
import { fixture, useEmulator } from '../../helpers/emulator';
import { openEngine } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

const SECRET = 'a'.repeat(64);
const CALLER = { origin: 'https://api.twelvelabs.io', keyFingerprint: null, fileUse: {} };

/** A stand-in owner that answers every request with `answer` (raw bytes), then does `then`. */
async function owner(socket: string, answer: string, then: 'end' | 'reset'): Promise<Server> {
  const server = createServer((client) => {
    client.once('data', () => {
      client.write(answer);
      if (then === 'end') client.end();
      else client.destroy();
    });
  });
  await new Promise<void>((done) => server.listen(socket, done));
  return server;
}

// Vitest fails the run on an uncaught exception or unhandled rejection: each case below used to be
// one, taking the CLI down with it.
describe('the hand-over channel, from the side that hands work over', () => {
  it('is refused cleanly by a dead owner’s socket, left behind by a SIGKILL', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const child = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`,
    ]);
    await new Promise((done) => child.stdout.once('data', done));
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    expect(existsSync(socket)).toBe(true);
    await expect(handOver({ socket, secret: SECRET }, { op: 'status' }, () => undefined)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('drops an answer it cannot read instead of throwing, and says the work did not finish', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(
      socket,
      '{"type":"accepted","count":0}\nnot json at all\n{"type":"done","items":[]}\n',
      'end',
    );
    const seen: HandoverMessage['type'][] = [];
    expect(
      await handOver({ socket, secret: SECRET }, { op: 'resume', for: CALLER }, (message) => seen.push(message.type)),
    ).toBe(false);
    expect(seen).toEqual(['accepted']);
    server.close();
  });

  it('ignores a message of a kind it does not know, as from a newer owner', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(socket, '{"type":"hello"}\n', 'end');
    expect(await handOver({ socket, secret: SECRET }, { op: 'status' }, () => undefined)).toBe(false);
    server.close();
  });

  it('survives a connection cut halfway through an answer', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(socket, '{"type":"accepted","count":1}\n{"type":"chan', 'reset');
    const seen: string[] = [];
    expect(
      await handOver({ socket, secret: SECRET }, { op: 'resume', for: CALLER }, (message) => seen.push(message.type)),
    ).toBe(false);
    expect(seen).toEqual(['accepted']);
    server.close();
  });
});

describe('the hand-over channel, from the owner’s side', () => {
  const emulator = useEmulator();
  const OWNER = async () => ({
    origin: emulator.current.origin,
    keyFingerprint: keyFingerprint(emulator.current.apiKey),
    fileUse: { for: 'search' as const, skipUnusable: false, copies: 'skip' as const },
  });

  async function owning(limits = {}) {
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir()));
    const socket = join(await tempDir(), 'queue.sock');
    const server = closeAfter(
      await QueueServer.listen({ engine, gate: engine.gate }, { socket, secret: SECRET }, OWNER, { limits }),
    );
    return { engine, socket, server };
  }

  /** Sends raw bytes as a request and collects the owner's answer until it closes. */
  function raw(socket: string, bytes: string | Buffer): Promise<{ lines: any[]; closed: boolean }> {
    return new Promise((resolve) => {
      const connection = createConnection(socket);
      let text = '';
      connection.on('data', (chunk) => (text += chunk.toString()));
      connection.on('error', () => undefined);
      connection.on('close', () =>
        resolve({
          lines: text
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line)),
          closed: true,
        }),
      );
      connection.write(bytes);
    });
  }

  it('refuses a forged fingerprint, a relative path, a link that is no web link and a described file', async () => {
    const { engine, socket } = await owning();
    const image = fixture('image.jpg');
    const caller = { origin: emulator.current.origin, keyFingerprint: null, fileUse: {} };
    const work = { paths: [image], links: [], template: [] };
    for (const [request, words] of [
      [
        { work: { ...work, template: [{ key: 'content_sha256', value: 'f'.repeat(64), type: 'text' }] } },
        'content_sha256',
      ],
      [{ work: { ...work, paths: ['image.jpg'] } }, 'whole path'],
      [{ work: { ...work, links: ['file:///etc/passwd'] } }, 'web address'],
      // A file described rather than named (its size, type and path as the sender says): the owner
      // reads each file itself, so there is no such request.
      [
        { files: [{ path: image, relativePath: 'image.jpg', size: 1, mtimeMs: 1, kind: 'image', mime: 'image/jpeg' }] },
        // No work named: the request itself does not read.
        'Invalid input',
      ],
    ] as const) {
      const { lines } = await raw(
        socket,
        `${JSON.stringify({ op: 'add', ...request, for: caller, secret: SECRET })}\n`,
      );
      // Refused as facts: what could not be read, for the caller to say in its own words.
      expect(lines).toEqual([
        { type: 'refused', refusal: { reason: 'request', issue: expect.stringContaining(words) } },
      ]);
    }
    expect(await engine.items()).toEqual([]);
  });

  it('finds and reads named files itself, and says what it passed over and why', async () => {
    const { engine, socket } = await owning();
    engine.start();
    const dir = await tempDir();
    const pipe = join(dir, 'capture.mov');
    execFileSync('mkfifo', [pipe]);
    const caller = { origin: emulator.current.origin, keyFingerprint: null, fileUse: {} };
    const work = { paths: [fixture('image.jpg'), pipe], links: [], template: [] };
    const { lines } = await raw(socket, `${JSON.stringify({ op: 'add', work, for: caller, secret: SECRET })}\n`);
    expect(lines[0]).toEqual({
      type: 'accepted',
      count: 1,
      found: { files: 1, links: 0, bytes: (await stat(fixture('image.jpg'))).size },
      skipped: [{ path: pipe, reason: 'not-a-file' }],
    });
    expect(await engine.items()).toMatchObject([{ relativePath: 'image.jpg', kind: 'image' }]);
  });

  it('lends only folders fit to watch: never a whole disk, the home folder or the system’s', async () => {
    const { engine } = closeAfter(await openEngine(emulator.current, await tempDir()));
    const socket = join(await tempDir(), 'queue.sock');
    const dataDir = await tempDir();
    const folderProblem = (path: string) => watchFolderProblem(path, { home: homedir(), dataDir });
    const server = closeAfter(
      await QueueServer.listen({ engine, gate: engine.gate }, { socket, secret: SECRET }, OWNER, { folderProblem }),
    );
    const lent: string[] = [];
    server.lendWatching((folders) => {
      lent.push(...folders.map((folder) => folder.path));
      return () => undefined;
    });
    const caller = { origin: emulator.current.origin, keyFingerprint: null, fileUse: {} };
    for (const [path, words] of [
      ['/', 'whole disk'],
      [homedir(), 'home folder'],
      ['/etc', 'belongs to the system'],
      [join(dataDir, 'cache'), 'data folder'],
    ] as const) {
      const folders = [{ path, subfolders: true, polling: 'auto', metadataTemplate: [] }];
      const { lines } = await raw(socket, `${JSON.stringify({ op: 'watch', folders, for: caller, secret: SECRET })}\n`);
      expect(lines).toEqual([{ type: 'refused', refusal: { reason: 'folder', path } }]);
      expect(refusalWords(lines[0].refusal, { home: homedir(), dataDir })).toContain(words);
    }
    expect(lent).toEqual([]);
  });

  it('answers nothing to a request without this run’s secret, and does nothing for it', async () => {
    const { engine, socket } = await owning();
    const work = { paths: [fixture('image.jpg')], links: [], template: [] };
    const caller = { origin: emulator.current.origin, keyFingerprint: null, fileUse: {} };
    for (const secret of [undefined, 'b'.repeat(64), 'a']) {
      const add = { op: 'add', work, for: caller, ...(secret !== undefined && { secret }) };
      expect(await raw(socket, `${JSON.stringify(add)}\n`)).toEqual({ lines: [], closed: true });
      expect(await raw(socket, `${JSON.stringify({ op: 'status', secret })}\n`)).toEqual({ lines: [], closed: true });
    }
    expect(await engine.items()).toEqual([]);
  });

  it('cuts off a request line without end and a silent connection, and goes on answering', async () => {
    const { socket } = await owning({ requestTimeoutMs: 500 });
    // 300 MiB with no newline: held whole, it was an uncaught RangeError in the owner.
    const giant = raw(socket, Buffer.alloc(300 * 1024 * 1024, 0x61));
    expect(await giant).toEqual({ lines: [], closed: true });
    const silent = createConnection(socket);
    silent.on('error', () => undefined);
    const began = Date.now();
    await new Promise((done) => silent.once('close', done));
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
    const status = await raw(socket, `${JSON.stringify({ op: 'status', secret: SECRET })}\n`);
    expect(status.lines).toEqual([{ type: 'items', items: [] }]);
  });

  it('answers status a page at a time, the last page saying so', async () => {
    const { engine, socket } = await owning();
    // 2,500 files the owner refuses at once (no check, not media): rows in its list, nothing sent.
    await engine.add(
      Array.from({ length: 2500 }, (_, at) => ({
        path: `/archive/notes-${at}.txt`,
        relativePath: `notes-${at}.txt`,
        size: 10,
        mtimeMs: 1,
        kind: null,
        mime: 'text/plain',
      })),
    );
    const pages: { items: number; more?: true }[] = [];
    // Read from the list's pages, never the whole list at once.
    const whole = vi.spyOn(engine, 'items');
    const finished = await handOver({ socket, secret: SECRET }, { op: 'status' }, (message) => {
      if (message.type === 'items') pages.push({ items: message.items.length, ...(message.more && { more: true }) });
    });
    expect(finished).toBe(true);
    expect(pages).toEqual([{ items: 1000, more: true }, { items: 1000, more: true }, { items: 500 }]);
    expect(whole).not.toHaveBeenCalled();
  });

  it('ends a resume whose file finished while its page was being read', { timeout: 10_000 }, async () => {
    const { engine } = await owning();
    const { ids } = await engine.add([
      { path: '/archive/notes.txt', relativePath: 'notes.txt', size: 10, mtimeMs: 1, kind: null, mime: 'text/plain' },
    ]);
    // The add's own change, said before the resume begins.
    await new Promise((resolve) => engine.once('change', resolve));
    const [now] = await engine.itemsOf(ids);
    expect(now?.status.kind).toBe('rejected');
    // The page as a read that began before the file was refused saw it: no change will follow.
    vi.spyOn(engine, 'listedPages').mockImplementation(async function* () {
      yield [{ ...now!, status: { kind: 'queued' } }];
    });
    const work = runWork(engine, engine.gate, { op: 'resume' }, {}, () => undefined);
    expect(await work.ended).toBe(true);
  });

  it('says the end of a large piece of work a page at a time, the last page saying so', async () => {
    const { engine, socket } = await owning();
    // 2,500 clips on a drive that is gone: each waits for its drive, so resuming them ends at once.
    await engine.add(
      Array.from({ length: 2500 }, (_, at) => ({
        path: `/Volumes/Gone/clip-${at}.mov`,
        relativePath: `clip-${at}.mov`,
        size: 10,
        mtimeMs: 1,
        kind: 'video' as const,
        mime: 'video/quicktime',
      })),
    );
    engine.start();
    await until(() => engine.countIn(['file-missing']) === 2500);
    const caller = { origin: emulator.current.origin, keyFingerprint: null, fileUse: {} };
    const said: unknown[] = [];
    const finished = await handOver({ socket, secret: SECRET }, { op: 'resume', for: caller }, (message) => {
      if (message.type === 'accepted') said.push({ accepted: message.count });
      if (message.type === 'done') said.push({ done: message.items.length, ...(message.more && { more: true }) });
    });
    expect(finished).toBe(true);
    expect(said).toEqual([{ accepted: 2500 }, { done: 1000, more: true }, { done: 1000, more: true }, { done: 500 }]);

    // Each page's rows are made as it goes, one page ahead (to know whether more follow): never the
    // whole list's before the first page.
    const made = vi.spyOn(engine, 'itemsOf');
    // The resume notes what is left from the list's pages, never the whole list read at once.
    const whole = vi.spyOn(engine, 'items');
    const rows = () => made.mock.calls.reduce((sum, [ids]) => sum + ids.length, 0);
    const rowsBefore: number[] = [];
    let accepted = 0;
    const work = runWork(engine, engine.gate, { op: 'resume' }, {}, (message) => {
      if (message.type === 'accepted') accepted = rows();
      if (message.type === 'done') rowsBefore.push(rows() - accepted);
    });
    expect(await work.ended).toBe(true);
    expect(rowsBefore).toEqual([2000, 2500, 2500]);
    expect(whole).not.toHaveBeenCalled();
  });

  it('serves only so many connections at once', async () => {
    const { socket } = await owning({ maxClients: 2, requestTimeoutMs: 5_000 });
    const held = [createConnection(socket), createConnection(socket)];
    await Promise.all(held.map((connection) => new Promise((done) => connection.once('connect', done))));
    const third = await raw(socket, `${JSON.stringify({ op: 'status', secret: SECRET })}\n`);
    expect(third.lines).toEqual([]);
    for (const connection of held) connection.destroy();
  });
});
