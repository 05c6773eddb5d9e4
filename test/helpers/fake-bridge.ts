import {
  createBridgeApi,
  type BridgeApi,
  type ContractHandlers,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
} from '../../electron/shared/ipc-contract';
import { fail } from '../../electron/shared/result';

/** What a model asked main, in order. */
export interface BridgeCall {
  readonly channel: InvokeChannel;
  readonly args: readonly unknown[];
}

/**
 * The window's bridge, built the way the preload builds it (`createBridgeApi`), over answers a
 * test gives instead of main. A channel the test did not answer fails in words, as main would
 * refuse it, so a model's failure path is what runs, never a hang.
 */
export function fakeBridge(answers: Partial<ContractHandlers> = {}) {
  const calls: BridgeCall[] = [];
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  const api: BridgeApi = createBridgeApi({
    invoke: async (channel, args) => {
      calls.push({ channel, args });
      const answer = answers[channel] as ((...args: readonly unknown[]) => Promise<unknown>) | undefined;
      return answer ? answer(...args) : fail('unknown', `No answer for ${channel} in this test.`);
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => set.delete(listener);
    },
    pathForFile: () => '',
  });
  return {
    api,
    calls,
    /** The channels asked, in order. */
    asked: () => calls.map((call) => call.channel),
    /** Main sends an event to every listener the models hold. */
    emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
    /** How many listeners are on this channel (a stopped model leaves none). */
    listening: (channel: EventChannel) => listeners.get(channel)?.size ?? 0,
  };
}
