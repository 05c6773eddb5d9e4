import type { Settings, SettingsPatch } from '../../../electron/shared/settings';
import { api } from './bridge';

/** Settings as stored in main; every change goes through main's validation. */
export class SettingsModel {
  #values = $state<Settings | null>(null);
  #error = $state<string | null>(null);

  get values(): Settings | null {
    return this.#values;
  }

  /** The last rejection from main, in its words; cleared by the next successful save. */
  get error(): string | null {
    return this.#error;
  }

  start(): () => void {
    const unsubscribe = api.onSettingsChanged((next) => {
      this.#values = next;
    });
    void api.settingsGet().then((result) => {
      if (result.ok) this.#values = result.value;
      else this.#error = result.message;
    });
    return unsubscribe;
  }

  async update(patch: SettingsPatch): Promise<boolean> {
    const result = await api.settingsUpdate(patch);
    if (result.ok) {
      this.#values = result.value;
      this.#error = null;
    } else {
      this.#error = result.message;
    }
    return result.ok;
  }
}
