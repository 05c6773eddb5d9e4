import type { SessionState } from '../../../electron/shared/session';
import { api } from './bridge';

/** The session as the window knows it: loaded once, then replaced from `session:changed` events. */
export class SessionModel {
  #state = $state<SessionState | null>(null);
  #error = $state<string | null>(null);

  get state(): SessionState | null {
    return this.#state;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Loads the state and follows changes; returns the unsubscribe. */
  start(): () => void {
    const unsubscribe = api.onSessionChanged((next) => {
      this.#state = next;
    });
    void api.sessionState().then((result) => {
      if (result.ok) this.#state = result.value;
      else this.#error = result.message;
    });
    return unsubscribe;
  }
}
