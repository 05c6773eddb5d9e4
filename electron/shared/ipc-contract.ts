import type { Result } from './result';
import type { SessionState } from './session';
import type { Settings, SettingsPatch } from './settings';

/**
 * The IPC contract, declared once. Each invoke channel maps to its argument tuple and its result;
 * each event channel maps to its payload. The preload, main's registrar, the renderer bridge and the
 * core implementation are all typed from these two maps, and `ipc-schemas.ts` validates every
 * argument named here.
 */
export interface InvokeMap {
  'session:state': { args: []; result: SessionState };
  'settings:get': { args: []; result: Settings };
  'settings:update': { args: [patch: SettingsPatch]; result: Settings };
}

export interface EventMap {
  'session:changed': SessionState;
  'settings:changed': Settings;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeArgs<C extends InvokeChannel> = InvokeMap[C]['args'];
export type InvokeResult<C extends InvokeChannel> = Result<InvokeMap[C]['result']>;

/** Runtime lists of the channels, for code that registers or exposes every one of them. */
export const INVOKE_CHANNELS = [
  'session:state',
  'settings:get',
  'settings:update',
] as const satisfies readonly InvokeChannel[];
export const EVENT_CHANNELS = ['session:changed', 'settings:changed'] as const satisfies readonly EventChannel[];

/** The core side of the contract: one async method per invoke channel. Transport-free. */
export type ContractHandlers = {
  readonly [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>>;
};

/** The event side: whoever hosts the core (Electron main, a test harness) subscribes here. */
export interface ContractEvents {
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}

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
  readonly [C in InvokeChannel as MethodName<C>]: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>>;
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
}): BridgeApi {
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    api[methodName(channel)] = (...args: unknown[]) => transport.invoke(channel, args);
  }
  for (const channel of EVENT_CHANNELS) {
    api[listenerName(channel)] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
  }
  return Object.freeze(api) as BridgeApi;
}
