import { CONTENT_HASH_KEY } from '../../../electron/shared/metadata';
import type { AssetStatus, LibraryAsset } from '../../../electron/shared/library';
import { formatBytes, formatNumber, m } from '../../../electron/shared/i18n';

export const STATUS_WORDS: Readonly<Record<AssetStatus, () => string>> = {
  processing: m.asset_status_processing,
  ready: m.status_ready,
  failed: m.asset_status_failed,
};

export const KIND_WORDS: Readonly<Record<LibraryAsset['kind'], () => string>> = {
  video: m.kind_video,
  audio: m.kind_audio,
  image: m.kind_image,
  document: m.kind_document,
};

/** "Failed: TwelveLabs could not read the file", or the status's word alone. */
export function statusWords(asset: Pick<LibraryAsset, 'status' | 'error'>): string {
  return asset.status === 'failed' && asset.error
    ? m.asset_status_failed_because({ reason: asset.error })
    : STATUS_WORDS[asset.status]();
}

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
    [m.fact_type(), KIND_WORDS[asset.kind]()],
    [m.fact_pages(), pages !== null ? formatNumber(pages) : null],
    [m.fact_size(), asset.size !== null ? formatBytes(asset.size) : null],
    [m.fact_duration(), asset.durationSeconds !== null ? clockDuration(asset.durationSeconds) : null],
    [m.fact_resolution(), asset.width !== null && asset.height !== null ? `${asset.width}×${asset.height}` : null],
    // Read-only: it is how copies of this file are recognised, so no editor offers it.
    [
      m.fact_fingerprint(),
      typeof asset.metadata[CONTENT_HASH_KEY] === 'string'
        ? String(asset.metadata[CONTENT_HASH_KEY]).slice(0, 16) + '…'
        : null,
    ],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null);
}
