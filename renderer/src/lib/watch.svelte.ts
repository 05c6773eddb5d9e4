import type { Result } from '../../../electron/shared/result';
import type { WatchedFolderView } from '../../../electron/shared/watch';
import { api } from './bridge';

/** The watched folders, as main's watchers report them. Folders are added only through main's dialog. */
export class WatchModel {
  #folders = $state<readonly WatchedFolderView[]>([]);
  #error = $state<string | null>(null);

  get folders(): readonly WatchedFolderView[] {
    return this.#folders;
  }

  get error(): string | null {
    return this.#error;
  }

  start(): () => void {
    const unsubscribe = api.onWatchChanged((next) => {
      this.#folders = next;
    });
    void api.watchList().then((result) => {
      if (result.ok) this.#folders = result.value;
    });
    return unsubscribe;
  }

  add(): Promise<void> {
    return this.#apply(api.watchAdd());
  }

  update(path: string, patch: { paused?: boolean; subfolders?: boolean; polling?: 'auto' | 'on' | 'off' }) {
    return this.#apply(api.watchUpdate(path, patch));
  }

  remove(path: string): Promise<void> {
    return this.#apply(api.watchRemove(path));
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
