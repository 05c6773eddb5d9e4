import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handOver, type HandoverMessage } from '../../../electron/core/queue/handover';
import { tempDir } from '../../helpers/temp-dir';

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
    await expect(handOver(socket, { op: 'status' }, () => undefined)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('drops an answer it cannot read instead of throwing, and says the work did not finish', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(
      socket,
      '{"type":"accepted","ids":[]}\nnot json at all\n{"type":"done","items":[]}\n',
      'end',
    );
    const seen: HandoverMessage['type'][] = [];
    expect(await handOver(socket, { op: 'resume', for: CALLER }, (message) => seen.push(message.type))).toBe(false);
    expect(seen).toEqual(['accepted']);
    server.close();
  });

  it('ignores a message of a kind it does not know, as from a newer owner', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(socket, '{"type":"hello"}\n', 'end');
    expect(await handOver(socket, { op: 'status' }, () => undefined)).toBe(false);
    server.close();
  });

  it('survives a connection cut halfway through an answer', async () => {
    const socket = join(await tempDir(), 'queue.sock');
    const server = await owner(socket, '{"type":"accepted","ids":["a"]}\n{"type":"chan', 'reset');
    const seen: string[] = [];
    expect(await handOver(socket, { op: 'resume', for: CALLER }, (message) => seen.push(message.type))).toBe(false);
    expect(seen).toEqual(['accepted']);
    server.close();
  });
});
