import type { TemplateField } from '../../../electron/shared/metadata';
import type { Result } from '../../../electron/shared/result';
import type { WatchedFolderView } from '../../../electron/shared/watch';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';

/** The watched folders, as main's watchers report them. Folders are added only through main's dialog. */
export class WatchModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #folders = $state<readonly WatchedFolderView[]>([]);
  #error = $state<string | null>(null);

  get folders(): readonly WatchedFolderView[] {
    return this.#folders;
  }

  get error(): string | null {
    return this.#error;
  }

  start(): () => void {
    const unsubscribe = this.#api.onWatchChanged((next) => {
      this.#folders = next;
    });
    void this.#api.watchList().then((result) => {
      if (result.ok) this.#folders = result.value;
    });
    return unsubscribe;
  }

  add(): Promise<void> {
    return this.#apply(this.#api.watchAdd());
  }

  update(path: string, patch: Parameters<BridgeApi['watchUpdate']>[1]): Promise<void> {
    return this.#apply(this.#api.watchUpdate(path, patch));
  }

  /** A folder's own metadata fields; true when they were kept. */
  async saveFields(path: string, metadataTemplate: TemplateField[]): Promise<boolean> {
    await this.update(path, { metadataTemplate });
    return this.#error === null;
  }

  remove(path: string): Promise<void> {
    return this.#apply(this.#api.watchRemove(path));
  }

  async #apply(pending: Promise<Result<WatchedFolderView[]>>): Promise<void> {
    const result = await pending;
    if (result.ok) {
      this.#folders = result.value;
      this.#error = null;
    } else {
      this.#error = result.message;
    }
  }
}
