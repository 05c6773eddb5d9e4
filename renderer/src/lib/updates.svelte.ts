import type { UpdateInfo } from '../../../electron/shared/updates';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';

/** This version and its updates, as main's updater reports them. */
export class UpdatesModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #info = $state<UpdateInfo | null>(null);

  get info(): UpdateInfo | null {
    return this.#info;
  }

  start(): () => void {
    const unsubscribe = this.#api.onUpdatesChanged((next) => {
      this.#info = next;
    });
    void this.#api.updatesGet().then((result) => {
      if (result.ok) this.#info = result.value;
    });
    return unsubscribe;
  }

  async check(): Promise<void> {
    const result = await this.#api.updatesCheck();
    if (result.ok) this.#info = result.value;
  }

  /** Now, or when the uploads finish: main decides, never during an upload. */
  async restart(): Promise<void> {
    const result = await this.#api.updatesRestart();
    if (result.ok) this.#info = result.value;
  }
}
