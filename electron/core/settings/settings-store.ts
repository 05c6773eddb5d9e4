import { EventEmitter } from 'node:events';
import { describeIssues } from '../../shared/ipc-schemas';
import { fail, ok, type Result } from '../../shared/result';
import {
  DEFAULT_SETTINGS,
  settingsPatchSchema,
  settingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../shared/settings';

/**
 * The persistence under the settings: electron-store in the app, `conf` in the CLI and tests. Both
 * expose the whole document as `store`, which is all this needs.
 */
export interface SettingsBacking {
  store: Record<string, unknown>;
}

/** Validated settings over any `SettingsBacking`. Emits `change` with the new settings. */
export class SettingsStore extends EventEmitter<{ change: [Settings] }> {
  readonly #backing: SettingsBacking;

  constructor(backing: SettingsBacking) {
    super();
    this.#backing = backing;
  }

  /**
   * The current settings. A stored value that no longer passes the schema (hand-edited file, a
   * bound tightened in a later version) falls back to its default instead of breaking start-up.
   */
  get(): Settings {
    const stored = this.#backing.store;
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const field = settingsSchema.shape[key].safeParse(stored[key]);
      if (field.success) settings[key] = field.data;
    }
    return settings as Settings;
  }

  /** Applies a patch if every key in it is valid; otherwise changes nothing and says why. */
  update(patch: unknown): Result<Settings> {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) return fail('invalid_setting', describeIssues(parsed.error));
    const next: Settings = { ...this.get(), ...(parsed.data as SettingsPatch) };
    this.#backing.store = { ...this.#backing.store, ...next };
    this.emit('change', next);
    return ok(next);
  }
}
