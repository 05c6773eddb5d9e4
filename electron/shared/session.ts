import type { NetworkProblem } from './network';

/** Where the API key is kept; shown in Settings so people know what "stored" means on their OS. */
export type KeyStorage = 'keychain' | 'credential-manager' | 'secret-service' | 'session-only';

/** What the status bar says about the connection to TwelveLabs. */
export type Connection =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'online' }
  | { readonly kind: 'offline'; readonly since: number }
  /** The network is there, but a proxy, a firewall or a certificate stands in the way. */
  | { readonly kind: 'blocked'; readonly problem: NetworkProblem; readonly since: number }
  | { readonly kind: 'rate-limited'; readonly until: number }
  | { readonly kind: 'key-rejected' }
  /** The app's own files cannot be written (a full disk): everything waits until they can. */
  | { readonly kind: 'storage'; readonly full: boolean; readonly message: string };

/** Everything the window needs to know about the session. Epoch-ms numbers, no Dates. */
export interface SessionState {
  readonly hasApiKey: boolean;
  readonly keyStorage: KeyStorage;
  /** False when no OS keychain answered: the key then lives in memory for this session only. */
  readonly keychainAvailable: boolean;
  readonly apiBaseUrl: string;
  readonly connection: Connection;
}

/** The plain-language name of each key store, as Settings shows it. */
export const KEY_STORAGE_LABEL: Readonly<Record<KeyStorage, string>> = {
  keychain: 'macOS Keychain',
  'credential-manager': 'Windows Credential Manager',
  'secret-service': "your system's password store",
  'session-only': 'memory only, until the app quits',
};
