import type { BridgeApi } from '../../../electron/shared/ipc-contract';

/** The one module the renderer uses to reach the main process. */
export const api: BridgeApi = window.api;
