import type { FileUse } from '../shared/limits';
import { m } from '../shared/i18n';
import Conf from 'conf';
import { checkBaseUrl } from '../core/api/client';
import { defaultDataDir } from '../core/store/data-folder';
import { openCore, type Core } from '../core/root/core';
import { decodeKey, originOf } from '../core/secrets/bound-key';
import {
  KEYCHAIN_SERVICE,
  MemorySecretStore,
  openSecretStore,
  PROXY_LOGIN_ACCOUNT,
  type SecretStore,
} from '../core/secrets/secret-store';
import { SettingsStore, type SettingsBacking } from '../core/settings/settings-store';
import type { EngineSettings } from '../core/upload/engine';
import { DEFAULT_SETTINGS, isTwelveLabsAddress, type Settings } from '../shared/settings';
import { commandLineRoutes, readProxyLogin, type CommandLineRoutes } from '../core/network/routes';
import { trustCertificates, type Trust } from '../core/network/trust';

/** Options every command takes. */
export interface GlobalOptions {
  readonly apiUrl?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  /** Root certificates (PEM files) to trust besides Node's and the system's. */
  readonly caCert?: readonly string[];
  /** The proxy for every request, over HTTPS_PROXY and HTTP_PROXY. */
  readonly proxy?: string;
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
 * The key for `origin`: `TWELVE_LABS_API_KEY` when set (the person's choice for this run, so an
 * unavailable keychain is then no problem), else the key the app stored in the OS keychain, and
 * only when it was checked against this same origin: the keychain's key is never sent elsewhere.
 */
export async function resolveKey(
  origin: string,
  fromEnv = process.env.TWELVE_LABS_API_KEY?.trim(),
  openStore: () => Promise<SecretStore> = openSecretStore,
): Promise<string> {
  if (fromEnv) return fromEnv;
  const store = await openStore();
  const raw = await store.get().catch(() => null);
  if (raw === null) {
    throw new CliError(store.storage === 'session-only' ? m.cli_no_key_session() : m.cli_no_key());
  }
  const stored = decodeKey(raw);
  if (stored.origin !== origin) {
    throw new CliError(m.cli_key_elsewhere({ stored: stored.origin, origin }));
  }
  return stored.key;
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
  needs: {
    readonly key: boolean;
    readonly engineSettings?: Partial<EngineSettings>;
    readonly fileUse?: Partial<FileUse>;
  } = { key: true },
): Promise<Core> {
  const dataDir = dataDirOf(options);
  const backing = () =>
    new Conf({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'twelvelabs-uploader',
    }) as unknown as SettingsBacking;
  // Settings → Network before any request; a damaged settings file is set aside (and said) as the
  // core opens, and meanwhile the defaults apply.
  let network: Pick<Settings, 'proxy' | 'certificateFile'> = DEFAULT_SETTINGS;
  try {
    network = new SettingsStore(backing()).get();
  } catch {
    // See above.
  }
  const { routes } = await connectLikeThisMachine(options, network);
  const baseUrl = options.apiUrl ?? process.env.TWELVELABS_BASE_URL;
  if (baseUrl !== undefined) {
    try {
      checkBaseUrl(baseUrl);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    if (isReleasedBuild() && !isTwelveLabsAddress(baseUrl)) {
      throw new CliError(m.cli_released_address({ address: baseUrl }));
    }
  }
  const core = await openCore({
    dataDir,
    developer: !isReleasedBuild(),
    settingsBacking: backing,
    secrets: new MemorySecretStore(),
    routes,
    role,
    ...(baseUrl !== undefined && { baseUrl }),
    ...(needs.engineSettings && { engineSettings: needs.engineSettings }),
    ...(needs.fileUse && { fileUse: needs.fileUse }),
  });
  // A damaged file was set aside: said once, in words, and the command carries on.
  for (const notice of core.notices) process.stderr.write(`${notice}\n`);
  if (needs.key) {
    // The key is chosen for the address the core settled on (flag, variable or setting).
    const key = await resolveKey(originOf(core.baseUrl())).catch(async (error: unknown) => {
      await core.close();
      throw error;
    });
    await core.secrets.set(key);
    core.logger.addSecret(key);
  }
  return core;
}

/**
 * Whether this is the installed app's own CLI face (Electron, not started as `electron .`): then
 * the release rules apply (TwelveLabs' address only), as in the window; from source they do not.
 */
export function isReleasedBuild(
  proc: { readonly versions: NodeJS.ProcessVersions; readonly defaultApp?: boolean | undefined } = process,
): boolean {
  return proc.versions.electron !== undefined && !proc.defaultApp;
}

let connected: CommandLineRoutes | null = null;

/**
 * Trusts what this machine trusts (its certificate store, `NODE_EXTRA_CA_CERTS`, the certificate
 * file in Settings, `--ca-cert`) and routes as it should (`--proxy`, `HTTPS_PROXY`, Settings →
 * Network), once per run, before any request: behind a company's proxy and TLS inspection, the
 * tool works where curl does.
 */
async function connectLikeThisMachine(
  options: GlobalOptions,
  settings: Pick<Settings, 'proxy' | 'certificateFile'>,
): Promise<CommandLineRoutes> {
  if (connected) return connected;
  if (options.proxy !== undefined && !URL.canParse(options.proxy)) {
    throw new CliError(m.cli_proxy_address({ proxy: options.proxy }));
  }
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  trusted = await trustCertificates([
    ...(extra ? [extra] : []),
    ...(settings.certificateFile ? [settings.certificateFile] : []),
    ...(options.caCert ?? []),
  ]);
  for (const problem of trusted.problems) process.stderr.write(`${problem}\n`);
  // A proxy login the app kept, for a proxy chosen in Settings; a variable's proxy carries its own.
  const login = async () =>
    readProxyLogin(
      await openSecretStore(KEYCHAIN_SERVICE, PROXY_LOGIN_ACCOUNT)
        .then((store) => store.get())
        .catch(() => null),
    );
  connected = await commandLineRoutes(options.proxy, process.env, settings.proxy, login).catch((error: Error) => {
    throw new CliError(error.message, 1);
  });
  return connected;
}

let trusted: Trust | null = null;

/** Which way this run's requests go, and why, once a core opened (for `doctor`). */
export function machineRoutes(): CommandLineRoutes | null {
  return connected;
}

/** The roots this run added to Node's (the system's, NODE_EXTRA_CA_CERTS, --ca-cert), once a core opened. */
export function machineTrust(): Trust | null {
  return trusted;
}
