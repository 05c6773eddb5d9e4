import { createBridgeApi, type EventChannel } from '../../../electron/shared/ipc-contract';

/**
 * The browser-side half of the test harness, bundled and injected before the app's scripts: it
 * builds `window.api` with the same `createBridgeApi` the preload uses, over Playwright bindings
 * instead of ipcRenderer.
 */
declare global {
  interface Window {
    __harnessInvoke(channel: string, args: readonly unknown[]): Promise<unknown>;
    __harnessEmit(channel: EventChannel, payload: unknown): void;
    /** Stand-ins for the OS: a dropped file's path by its name, set by the spec. */
    __harnessPaths?: Record<string, string>;
  }
}

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

window.__harnessEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

Object.defineProperty(window, 'api', {
  value: createBridgeApi({
    invoke: (channel, args) => window.__harnessInvoke(channel, args),
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    pathForFile: (file) => window.__harnessPaths?.[(file as File).name] ?? '',
  }),
});
