import { DEFAULT_API_BASE_URL } from '../../shared/settings';
import type { SecretStore } from './secret-store';

/**
 * The API key belongs to the address it was checked against. It is kept with that origin, and
 * handed out only for requests to it: pointed anywhere else (a changed setting, a hand-edited
 * file, `--api-url`), the app has no key, and says so, instead of sending it there.
 */
export interface BoundKey {
  readonly key: string;
  readonly origin: string;
}

export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** How a key is written to the keychain: the key and its origin, as JSON. */
export function encodeKey(bound: BoundKey): string {
  return JSON.stringify({ v: 1, key: bound.key, origin: bound.origin });
}

/**
 * A stored entry back as a key and its origin. An entry that is a bare key was written before
 * keys were bound; it was only ever checked against TwelveLabs' own address, so it belongs there.
 */
export function decodeKey(stored: string): BoundKey {
  try {
    const parsed = JSON.parse(stored) as { v?: unknown; key?: unknown; origin?: unknown };
    if (parsed.v === 1 && typeof parsed.key === 'string' && typeof parsed.origin === 'string') {
      return { key: parsed.key, origin: parsed.origin };
    }
  } catch {
    // a bare key
  }
  return { key: stored, origin: originOf(DEFAULT_API_BASE_URL) };
}

/** The key store as the rest of the app sees it: through the address requests go to now. */
export interface BoundSecretStore extends SecretStore {
  /** The stored key and its origin, whatever the address is now. */
  stored(): Promise<BoundKey | null>;
}

export function bindToOrigin(store: SecretStore, baseUrl: () => string): BoundSecretStore {
  const stored = async () => {
    const raw = await store.get();
    return raw === null ? null : decodeKey(raw);
  };
  return {
    storage: store.storage,
    stored,
    async get() {
      const bound = await stored();
      return bound && bound.origin === originOf(baseUrl()) ? bound.key : null;
    },
    set: (key) => store.set(encodeKey({ key, origin: originOf(baseUrl()) })),
    clear: () => store.clear(),
  };
}
