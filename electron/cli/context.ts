import { mkdir } from 'node:fs/promises';
import Conf from 'conf';
import type { ApiClient } from '../core/api/client';
import { defaultDataDir, journalPath } from '../core/app-paths';
import { openSecretStore } from '../core/secrets/secret-store';
import { SettingsStore, type SettingsBacking } from '../core/settings/settings-store';
import { Journal } from '../core/store/journal';
import { connect, type ConnectionGate } from '../core/upload/gate';
import { parseMetadataValue, type MetadataType, type MetadataValue, type TemplateField } from '../shared/metadata';
import type { Settings } from '../shared/settings';

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

export interface CliContext {
  readonly dataDir: string;
  /** Where requests go; links on this computer may be uploaded only when it is on this computer too. */
  readonly baseUrl: string;
  readonly settings: Settings;
  readonly client: ApiClient;
  readonly gate: ConnectionGate;
  readonly journal: Journal;
}

/**
 * The key: `TWELVE_LABS_API_KEY` when set (an unavailable keychain is then no problem), else the
 * key the app stored in the OS keychain.
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

/** Opens what a command needs: settings and journal from the app's data dir, and an API client. */
export async function openContext(
  options: GlobalOptions,
  needs: { key: boolean } = { key: true },
): Promise<CliContext> {
  const dataDir = options.dataDir ?? defaultDataDir();
  await mkdir(dataDir, { recursive: true });
  const store = new SettingsStore(
    new Conf({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'twelvelabs-uploader',
    }) as unknown as SettingsBacking,
  );
  const settings = store.get();
  // The base URL: --api-url, then TWELVELABS_BASE_URL (the SDKs' variable), then settings.
  const baseUrl = options.apiUrl ?? process.env.TWELVELABS_BASE_URL ?? settings.apiBaseUrl;
  const key = needs.key ? await resolveKey() : null;
  let connection: { client: ApiClient; gate: ConnectionGate };
  try {
    connection = connect({ baseUrl, apiKey: () => key });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const journal = await Journal.open(journalPath(dataDir));
  return { dataDir, baseUrl, settings, ...connection, journal };
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
