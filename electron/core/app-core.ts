import { EventEmitter } from 'node:events';
import type { ContractEvents, ContractHandlers, EventChannel, EventMap } from '../shared/ipc-contract';
import { ok } from '../shared/result';
import type { Connection, SessionState } from '../shared/session';
import type { SecretStore } from './secrets/secret-store';
import type { SettingsStore } from './settings/settings-store';

export interface AppCoreDeps {
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
}

/**
 * The whole IPC contract as one transport-free object. Electron's main process registers
 * `handlers` on ipcMain and forwards `events`; the browser test harness and unit tests drive the
 * very same object directly.
 */
export class AppCore {
  readonly handlers: ContractHandlers;
  readonly events: ContractEvents;
  readonly #deps: AppCoreDeps;
  readonly #emitter = new EventEmitter();
  #connection: Connection = { kind: 'unknown' };

  constructor(deps: AppCoreDeps) {
    this.#deps = deps;
    const emitter = this.#emitter;
    this.events = {
      on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void) {
        emitter.on(channel, listener);
        return () => emitter.off(channel, listener);
      },
    };
    deps.settings.on('change', (settings) => {
      this.#emit('settings:changed', settings);
      void this.#publishSession();
    });
    this.handlers = {
      'session:state': async () => ok(await this.sessionState()),
      'settings:get': async () => ok(deps.settings.get()),
      'settings:update': async (patch) => deps.settings.update(patch),
    };
  }

  async sessionState(): Promise<SessionState> {
    const { secrets, settings } = this.#deps;
    return {
      hasApiKey: (await secrets.get()) !== null,
      keyStorage: secrets.storage,
      keychainAvailable: secrets.storage !== 'session-only',
      apiBaseUrl: settings.get().apiBaseUrl,
      connection: this.#connection,
    };
  }

  #emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    this.#emitter.emit(channel, payload);
  }

  async #publishSession(): Promise<void> {
    this.#emit('session:changed', await this.sessionState());
  }
}
