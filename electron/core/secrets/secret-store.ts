import type { KeyStorage } from '../../shared/session';

/**
 * Holds the API key. The only implementations are the OS keychain and process memory: the key is
 * never written to a file or a log. Kept behind this interface because keytar is archived upstream;
 * moving to Electron's safeStorage is one new implementation.
 */
export interface SecretStore {
  readonly storage: KeyStorage;
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
  clear(): Promise<void>;
}

/** Keychain entry names, the same for the app and the CLI so both find the one key. */
export const KEYCHAIN_SERVICE = 'TwelveLabs Uploader';
export const KEYCHAIN_ACCOUNT = 'api-key';
/** The proxy's login, beside the key in the same service. */
export const PROXY_LOGIN_ACCOUNT = 'proxy-login';

/** Used when no keychain answers: the key lasts until the process exits. */
export class MemorySecretStore implements SecretStore {
  readonly storage = 'session-only' as const;
  #value: string | null = null;

  async get(): Promise<string | null> {
    return this.#value;
  }

  async set(value: string): Promise<void> {
    this.#value = value;
  }

  async clear(): Promise<void> {
    this.#value = null;
  }
}

type Keytar = typeof import('keytar');

/** The OS keychain through keytar: Keychain on macOS, Credential Manager on Windows, Secret Service on Linux. */
export class KeytarSecretStore implements SecretStore {
  readonly storage: KeyStorage;
  readonly #keytar: Keytar;
  readonly #service: string;

  readonly #account: string;

  constructor(
    keytar: Keytar,
    service = KEYCHAIN_SERVICE,
    platform: NodeJS.Platform = process.platform,
    account = KEYCHAIN_ACCOUNT,
  ) {
    this.#keytar = keytar;
    this.#service = service;
    this.#account = account;
    this.storage = platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'credential-manager' : 'secret-service';
  }

  async get(): Promise<string | null> {
    return this.#keytar.getPassword(this.#service, this.#account);
  }

  async set(value: string): Promise<void> {
    await this.#keytar.setPassword(this.#service, this.#account, value);
  }

  async clear(): Promise<void> {
    await this.#keytar.deletePassword(this.#service, this.#account);
  }
}

/**
 * The OS keychain when one answers, else a session-only memory store. The probe is a real read,
 * because keytar loads fine on a Linux box with no Secret Service and only fails when used.
 */
export async function openSecretStore(service = KEYCHAIN_SERVICE, account = KEYCHAIN_ACCOUNT): Promise<SecretStore> {
  try {
    const keytar = ((await import('keytar')) as { default?: Keytar } & Keytar).default ?? (await import('keytar'));
    const store = new KeytarSecretStore(keytar, service, process.platform, account);
    await store.get();
    return store;
  } catch {
    return new MemorySecretStore();
  }
}
