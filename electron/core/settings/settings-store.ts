import { EventEmitter } from 'node:events';
import { describeIssues, issueField } from '../../shared/ipc-schemas';
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

type StoredSettings = Record<string, unknown>;

/** Where the stored document says which migrations it has had. */
export const SETTINGS_VERSION_KEY = 'settingsVersion';

/** The defaults of version 0.1.0, which wrote every setting to disk whenever one was saved. */
const DEFAULTS_0_1_0: StoredSettings = {
  filesInFlight: 3,
  chunksInFlight: 6,
  bandwidthLimit: 0,
  multipartThreshold: 64 * 1024 * 1024,
  enableHls: true,
  enableThumbnail: true,
  duplicateDetection: true,
  notifications: true,
  keepAwake: true,
  startAtLogin: false,
};

/**
 * Steps from one stored shape to the next, by version. Append; never edit a shipped step, because
 * documents in the field are at every version.
 */
export const SETTINGS_MIGRATIONS: readonly ((stored: StoredSettings) => StoredSettings)[] = [
  // 1: only settings the person changed are stored, so better defaults reach everyone else. 0.1.0
  // stored the whole document on any save; a value equal to its 0.1.0 default was never chosen.
  (stored) => Object.fromEntries(Object.entries(stored).filter(([key, value]) => DEFAULTS_0_1_0[key] !== value)),
];

/**
 * Validated settings over any `SettingsBacking`. Emits `change` with the new settings. The stored
 * document holds only what the person changed, plus its migration version.
 */
export class SettingsStore extends EventEmitter<{ change: [Settings] }> {
  readonly #backing: SettingsBacking;
  /**
   * The settings as last read or saved. The backing reads and parses its file on every access and
   * the engine asks for settings for each file it moves: read once, they cost nothing per file.
   * This store is the only writer of its document while it is open.
   */
  #current: Settings | undefined;

  constructor(backing: SettingsBacking, migrations = SETTINGS_MIGRATIONS) {
    super();
    this.#backing = backing;
    const stored = backing.store;
    const version = typeof stored[SETTINGS_VERSION_KEY] === 'number' ? stored[SETTINGS_VERSION_KEY] : 0;
    if (version < migrations.length) {
      const migrated = migrations.slice(version).reduce((document, step) => step(document), { ...stored });
      backing.store = { ...migrated, [SETTINGS_VERSION_KEY]: migrations.length };
    }
  }

  /**
   * The current settings. A stored value that no longer passes the schema (hand-edited file, a
   * bound tightened in a later version) falls back to its default instead of breaking start-up.
   */
  get(): Settings {
    if (this.#current) return this.#current;
    const stored = this.#backing.store;
    const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      if (stored[key] === undefined) continue;
      const field = settingsSchema.shape[key].safeParse(stored[key]);
      if (field.success) settings[key] = field.data;
    }
    this.#current = settings as Settings;
    return this.#current;
  }

  /** Applies a patch if every key in it is valid; otherwise changes nothing and says why. */
  update(patch: unknown): Result<Settings> {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const field = issueField(parsed.error);
      return { ...fail('invalid_setting', describeIssues(parsed.error)), ...(field !== undefined && { field }) };
    }
    const changes = parsed.data as SettingsPatch;
    const next: Settings = { ...this.get(), ...changes };
    this.#backing.store = { ...this.#backing.store, ...changes };
    this.#current = next;
    this.emit('change', next);
    return ok(next);
  }
}
