/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { BridgeApi } from '../../electron/shared/ipc-contract';

declare global {
  interface Window {
    /** Provided by the preload (or the browser test harness); the page's only way to reach main. */
    readonly api: BridgeApi;
  }
}
