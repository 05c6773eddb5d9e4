import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridgeApi } from '../shared/ipc-contract';

/**
 * Exposes one function per capability as `window.api`. `ipcRenderer` itself never reaches the page,
 * and listeners are wrapped so the page never sees the IPC event object (which carries `sender`).
 */
contextBridge.exposeInMainWorld(
  'api',
  createBridgeApi({
    invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
    subscribe: (channel, listener) => {
      const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => ipcRenderer.off(channel, wrapped);
    },
    // Only a real dropped File has a path; anything page script constructs resolves to ''.
    pathForFile: (file) => webUtils.getPathForFile(file as File),
  }),
);
