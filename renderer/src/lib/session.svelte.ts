import type { Result } from '../../../electron/shared/result';
import type { SessionState } from '../../../electron/shared/session';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';
import { applyLocale } from './locale.svelte';
import type { Language } from '../../../electron/shared/i18n';

/** The session as the window knows it: loaded once, then replaced from `session:changed` events. */
export class SessionModel {
  readonly #api: BridgeApi;
  #state = $state<SessionState | null>(null);
  #error = $state<string | null>(null);

  get state(): SessionState | null {
    return this.#state;
  }

  /** The language "As this computer says" gives. */
  get systemLanguage(): Language {
    return this.#state?.systemLanguage ?? 'en';
  }

  #set(next: SessionState): void {
    this.#state = next;
    applyLocale(next.locale);
  }

  get error(): string | null {
    return this.#error;
  }

  /** Sends a key to main, which checks it with TwelveLabs before storing it. */
  async setKey(key: string): Promise<Result<SessionState>> {
    const result = await this.#api.secretsSetApiKey(key);
    if (result.ok) this.#set(result.value);
    return result;
  }

  async clearKey(): Promise<void> {
    const result = await this.#api.secretsClearApiKey();
    if (result.ok) this.#set(result.value);
  }

  /** Resolves once the first state has arrived. */
  readonly ready: Promise<void>;
  #markReady!: () => void;

  constructor(api: BridgeApi) {
    this.#api = api;
    this.ready = new Promise((resolve) => (this.#markReady = resolve));
  }

  /** Loads the state and follows changes; returns the unsubscribe. */
  start(): () => void {
    const unsubscribe = this.#api.onSessionChanged((next) => this.#set(next));
    void this.#api.sessionState().then((result) => {
      if (result.ok) this.#set(result.value);
      else this.#error = result.message;
      this.#markReady();
    });
    return unsubscribe;
  }
}
