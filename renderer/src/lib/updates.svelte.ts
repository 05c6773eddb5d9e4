import type { UpdateInfo } from '../../../electron/shared/updates';
import { api } from './bridge';

/** This version and its updates, as main's updater reports them. */
export class UpdatesModel {
  #info = $state<UpdateInfo | null>(null);

  get info(): UpdateInfo | null {
    return this.#info;
  }

  start(): () => void {
    const unsubscribe = api.onUpdatesChanged((next) => {
      this.#info = next;
    });
    void api.updatesGet().then((result) => {
      if (result.ok) this.#info = result.value;
    });
    return unsubscribe;
  }

  async check(): Promise<void> {
    const result = await api.updatesCheck();
    if (result.ok) this.#info = result.value;
  }

  /** Now, or when the uploads finish: main decides, never during an upload. */
  async restart(): Promise<void> {
    const result = await api.updatesRestart();
    if (result.ok) this.#info = result.value;
  }
}
