import { mkdir } from 'node:fs/promises';
import Conf from 'conf';
import { checkBaseUrl } from '../core/api/client';
import { defaultDataDir } from '../core/app-paths';
import { openCore, type Core } from '../core/core';
import { MemorySecretStore, openSecretStore } from '../core/secrets/secret-store';
import type { SettingsBacking } from '../core/settings/settings-store';
import type { EngineSettings } from '../core/upload/engine';
import { parseMetadataValue, type MetadataType, type MetadataValue, type TemplateField } from '../shared/metadata';

/** Options every command takes. */
export interface GlobalOptions {
  readonly apiUrl?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** A problem the CLI explains and exits on, with the exit code it deserves. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/**
 * The key: `TWELVE_LABS_API_KEY` when set (an unavailable keychain is then no problem), else the
 * key the app stored in the OS keychain. Read once, when a command starts.
 */
async function resolveKey(): Promise<string> {
  const fromEnv = process.env.TWELVE_LABS_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  const store = await openSecretStore();
  const stored = await store.get().catch(() => null);
  if (stored) return stored;
  throw new CliError(
    store.storage === 'session-only'
      ? 'No API key: set TWELVE_LABS_API_KEY (no system keychain is available here).'
      : 'No API key: set TWELVE_LABS_API_KEY, or add your key in the app under Settings.',
  );
}

/** The data folder a command works on: --data-dir, else the app's own. */
export function dataDirOf(options: GlobalOptions): string {
  return options.dataDir ?? defaultDataDir();
}

/**
 * Opens the product for a command through the one composition root, with the app's settings
 * file, the key from the environment or keychain, and the address from --api-url, then
 * TWELVELABS_BASE_URL (the SDKs' variable), then the settings. `owner` takes the queue and throws
 * `QueueOwned` while another process has it.
 */
export async function openCliCore(
  options: GlobalOptions,
  role: 'owner' | 'reader',
  needs: { readonly key: boolean; readonly engineSettings?: Partial<EngineSettings> } = { key: true },
): Promise<Core> {
  const dataDir = dataDirOf(options);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = needs.key ? await resolveKey() : null;
  const secrets = new MemorySecretStore();
  if (key) await secrets.set(key);
  const baseUrl = options.apiUrl ?? process.env.TWELVELABS_BASE_URL;
  if (baseUrl !== undefined) {
    try {
      checkBaseUrl(baseUrl);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
  }
  const core = await openCore({
    dataDir,
    settingsBacking: () =>
      new Conf({
        cwd: dataDir,
        configName: 'settings',
        projectName: 'twelvelabs-uploader',
      }) as unknown as SettingsBacking,
    secrets,
    role,
    ...(baseUrl !== undefined && { baseUrl }),
    ...(needs.engineSettings && { engineSettings: needs.engineSettings }),
  });
  // A damaged file was set aside: said once, in words, and the command carries on.
  for (const notice of core.notices) process.stderr.write(`${notice}\n`);
  return core;
}

/**
 * Parses "key=value" into a metadata field. The value may hold tokens ({folder}, {name}, ...);
 * without tokens, numbers and true/false keep their type.
 */
export function parseMetadataPair(pair: string): TemplateField {
  const at = pair.indexOf('=');
  if (at <= 0) throw new CliError(`--metadata takes key=value, not ${JSON.stringify(pair)}`);
  const key = pair.slice(0, at).trim();
  const value = pair.slice(at + 1);
  const type: MetadataType = /\{\w+\}/.test(value)
    ? 'text'
    : value === 'true' || value === 'false'
      ? 'boolean'
      : /^[-+]?\d+$/.test(value.trim())
        ? 'integer'
        : value.trim() !== '' && Number.isFinite(Number(value))
          ? 'number'
          : 'text';
  return { key, value, type };
}

/** Static "key=value" pairs as typed metadata values, for `assets metadata --set`. */
export function parseMetadataValues(pairs: readonly string[]): Record<string, MetadataValue> {
  return Object.fromEntries(
    pairs.map(parseMetadataPair).map((field) => {
      const parsed = parseMetadataValue(field.type, field.value);
      if (!parsed.ok) throw new CliError(`${field.key} ${parsed.message}`);
      return [field.key, parsed.value];
    }),
  );
}

/** "10MB", "500k", "2000000": bytes per second for --bandwidth. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?(\/s)?$/i.exec(text.trim());
  if (!match) throw new CliError(`Cannot read ${JSON.stringify(text)} as a size; try 5MB or 500KB.`);
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * scale);
}
