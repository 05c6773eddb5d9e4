import { CONTENT_HASH_KEY } from '../../../electron/shared/metadata';
import type { AssetStatus, LibraryAsset } from '../../../electron/shared/library';
import { formatBytes } from '../../../electron/shared/i18n';

export const STATUS_WORDS: Readonly<Record<AssetStatus, string>> = {
  processing: 'Processing on TwelveLabs',
  ready: 'Ready',
  failed: 'Failed',
};

export const KIND_WORDS = { video: 'Video', audio: 'Audio', image: 'Image', document: 'Document' } as const;

/** "4:05", "1:02:03": a clock-style length for lists. */
export function clockDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The facts TwelveLabs gave about an asset, as label and words, leaving out what it did not say. */
export function assetFacts(asset: LibraryAsset, pages: number | null = null): [string, string][] {
  const facts: [string, string | null][] = [
    ['Type', KIND_WORDS[asset.kind]],
    ['Pages', pages !== null ? pages.toLocaleString() : null],
    ['Size', asset.size !== null ? formatBytes(asset.size) : null],
    ['Duration', asset.durationSeconds !== null ? clockDuration(asset.durationSeconds) : null],
    ['Resolution', asset.width !== null && asset.height !== null ? `${asset.width}×${asset.height}` : null],
    // Read-only: it is how copies of this file are recognised, so no editor offers it.
    [
      'Fingerprint',
      typeof asset.metadata[CONTENT_HASH_KEY] === 'string'
        ? String(asset.metadata[CONTENT_HASH_KEY]).slice(0, 16) + '…'
        : null,
    ],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null);
}
