import { m, type AppLocale, type Language } from './i18n';
import type { NetworkProblem } from './network';

/** Where the API key is kept; shown in Settings so people know what "stored" means on their OS. */
export type KeyStorage = 'keychain' | 'credential-manager' | 'secret-service' | 'session-only';

/**
 * Where the way to TwelveLabs stands, as the gate every request passes decides it: the one
 * connection type of the core, the hand-over channel, the CLI and the window.
 */
export type GateState =
  | { readonly kind: 'online' }
  | { readonly kind: 'offline'; readonly since: number }
  /** The network is there, but a proxy, a firewall or a certificate stands in the way. */
  | { readonly kind: 'blocked'; readonly problem: NetworkProblem; readonly since: number }
  | { readonly kind: 'rate-limited'; readonly until: number }
  | { readonly kind: 'key-rejected' }
  /** The app's own files cannot be written (a full disk): everything waits until they can. */
  | { readonly kind: 'storage'; readonly full: boolean; readonly message: string };

/** What the status bar says about the connection: the gate's state, or not known yet. */
export type Connection = GateState | { readonly kind: 'unknown' };

/** Everything the window needs to know about the session. Epoch-ms numbers, no Dates. */
export interface SessionState {
  readonly hasApiKey: boolean;
  readonly keyStorage: KeyStorage;
  /** False when no OS keychain answered: the key then lives in memory for this session only. */
  readonly keychainAvailable: boolean;
  readonly apiBaseUrl: string;
  readonly connection: Connection;
  /** The language the window speaks and the region its numbers and dates follow (Settings, or the system's). */
  readonly locale: AppLocale;
  /** The language the system's preferences choose: what the language setting's "system" means. */
  readonly systemLanguage: Language;
}

/** The plain-language name of each key store, as Settings shows it. */
export const KEY_STORAGE_LABEL: Readonly<Record<KeyStorage, () => string>> = {
  keychain: m.key_storage_keychain,
  'credential-manager': m.key_storage_credential_manager,
  'secret-service': m.key_storage_secret_service,
  'session-only': m.key_storage_session_only,
};
