import { afterEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../electron/shared/ipc-contract';
import { openTestApp } from '../../helpers/app';
import { tempDir } from '../../helpers/temp-dir';
import { closeAfter } from '../../helpers/cleanup';

// There is no Electron binary on the build machines, so ipcMain is the one thing replaced here: a
// registry that records handlers so the test can call them as Electron would.
const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
      handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpc } = await import('../../../electron/main/ipc');

const appOrigin = new URL('app://uploader/index.html');

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

async function setup() {
  const app = closeAfter(await openTestApp(await tempDir()));
  opened.push(app);
  const { contract } = app;
  const webContents = { send: vi.fn() };
  const window = { webContents, isDestroyed: () => false };
  const unregister = registerIpc(contract, window as never, appOrigin);
  const fromApp = { sender: webContents, senderFrame: { url: appOrigin.href, parent: null } };
  return { contract, webContents, fromApp, unregister };
}

describe('the main-process IPC registrar', () => {
  it('registers every channel of the contract and removes them again', async () => {
    const { unregister } = await setup();
    expect([...handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers the app window and validates what it sends', async () => {
    const { fromApp, unregister } = await setup();
    expect(await handlers.get('settings:update')?.(fromApp, { filesInFlight: 2 })).toMatchObject({
      ok: true,
      value: { filesInFlight: 2 },
    });
    expect(await handlers.get('settings:update')?.(fromApp, { filesInFlight: -1 })).toMatchObject({
      ok: false,
      code: 'invalid_argument',
    });
    unregister();
  });

  it('refuses a frame that is not the app page', async () => {
    const { fromApp, unregister } = await setup();
    const embedded = { ...fromApp, senderFrame: { url: 'https://example.com/', parent: null } };
    expect(await handlers.get('settings:get')?.(embedded)).toMatchObject({ ok: false, code: 'untrusted_sender' });
    const otherContents = { ...fromApp, sender: {} };
    expect(await handlers.get('settings:get')?.(otherContents)).toMatchObject({ ok: false, code: 'untrusted_sender' });
    unregister();
  });

  it("forwards the contract's events to the window until unregistered", async () => {
    const { contract, webContents, unregister } = await setup();
    await contract.handlers['settings:update']({ filesInFlight: 7 });
    expect(webContents.send).toHaveBeenCalledWith('settings:changed', expect.objectContaining({ filesInFlight: 7 }));
    unregister();
    webContents.send.mockClear();
    await contract.handlers['settings:update']({ filesInFlight: 8 });
    expect(webContents.send).not.toHaveBeenCalled();
  });
});
