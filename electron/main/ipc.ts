import { ipcMain, type BrowserWindow } from 'electron';
import { m } from '../shared/i18n';
import { dispatchInvoke } from '../core/ipc/dispatch';
import type { WindowContract } from '../core/root/window-contract';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../shared/ipc-contract';
import { fail } from '../shared/result';
import { isTrustedSender } from './trusted-sender';

/**
 * Registers every invoke channel of the contract on ipcMain and forwards every event of the contract to the
 * window. Each call is checked for its sender frame, then validated, before the contract sees it.
 */
export function registerIpc(contract: WindowContract, window: BrowserWindow, appOrigin: URL): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (event.sender !== window.webContents || !isTrustedSender(event.senderFrame, appOrigin)) {
        return fail('untrusted_sender', m.ipc_untrusted());
      }
      return dispatchInvoke(contract.handlers, channel, args);
    });
  }
  const unsubscribers = EVENT_CHANNELS.map((channel) =>
    contract.events.on(channel, (payload) => {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }),
  );
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
