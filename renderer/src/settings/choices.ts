import { DEFAULT_SETTINGS, type Settings } from '../../../electron/shared/settings';
import { PURPOSES, type Purpose } from '../../../electron/shared/limits';
import type { CopyPolicy } from '../../../electron/shared/upload-copy';
import { formatNumber, m } from '../../../electron/shared/i18n';

/** What a section saves: any setting but the address and the watched folders, which have their own ways. */
export type SaveSettings = (patch: Omit<Partial<Settings>, 'apiBaseUrl' | 'watchedFolders'>) => Promise<boolean>;

export const MB = 1_000_000;

/** By what people do with the files, not by the names of the models behind them. */
export const PURPOSE_CHOICES = Object.keys(PURPOSES) as Purpose[];

export const COPY_CHOICES: Readonly<Record<CopyPolicy, () => string>> = {
  skip: m.settings_copies_skip,
  ask: m.settings_copies_ask,
  copy: m.settings_copies_copy,
};

type FlagKey = 'enableHls' | 'enableThumbnail' | 'duplicateDetection' | 'notifications' | 'keepAwake' | 'startAtLogin';

export const FLAGS: readonly { key: FlagKey; label: () => string; help: () => string }[] = [
  { key: 'enableHls', label: m.settings_hls, help: m.settings_hls_help },
  { key: 'enableThumbnail', label: m.settings_thumbnails, help: m.settings_thumbnails_help },
  { key: 'duplicateDetection', label: m.settings_duplicates, help: m.settings_duplicates_help },
  { key: 'notifications', label: m.settings_notify, help: m.settings_notify_help },
  { key: 'keepAwake', label: m.settings_keep_awake, help: m.settings_keep_awake_help },
  { key: 'startAtLogin', label: m.settings_start_at_login, help: m.settings_start_at_login_help },
];

/** The number settings, in the units people use (MB, not bytes) and the words of UX.md. */
export interface NumberSetting {
  readonly key: 'filesInFlight' | 'chunksInFlight' | 'bandwidthLimit' | 'multipartThreshold' | 'copiesAtOnce';
  readonly label: () => string;
  readonly help: () => string;
  readonly min: number;
  readonly max?: number;
  readonly step: number;
  /** Shown under Advanced: tuning most people never touch. */
  readonly advanced: boolean;
  readonly shown: (stored: number) => number;
  readonly stored: (shown: number) => number;
}

const asIs = (n: number) => n;

export const NUMBER_SETTINGS: readonly NumberSetting[] = [
  {
    key: 'filesInFlight',
    advanced: false,
    label: m.settings_files_at_once,
    help: () => m.settings_files_at_once_help({ n: formatNumber(DEFAULT_SETTINGS.filesInFlight) }),
    min: 1,
    max: 16,
    step: 1,
    shown: asIs,
    stored: asIs,
  },
  {
    key: 'chunksInFlight',
    advanced: true,
    label: m.settings_parts_at_once,
    help: m.settings_parts_at_once_help,
    min: 1,
    max: 32,
    step: 1,
    shown: asIs,
    stored: asIs,
  },
  {
    key: 'copiesAtOnce',
    advanced: true,
    label: m.settings_copies_at_once,
    help: m.settings_copies_at_once_help,
    min: 1,
    max: 4,
    step: 1,
    shown: asIs,
    stored: asIs,
  },
  {
    key: 'bandwidthLimit',
    advanced: false,
    label: m.settings_bandwidth,
    help: m.settings_bandwidth_help,
    min: 0,
    step: 0.5,
    shown: (n) => n / MB,
    stored: (n) => Math.round(n * MB),
  },
  {
    key: 'multipartThreshold',
    advanced: true,
    label: m.settings_multipart,
    help: m.settings_multipart_help,
    min: 6,
    max: 199,
    step: 1,
    shown: (n) => Math.round((n / MB) * 10) / 10,
    stored: (n) => Math.round(n * MB),
  },
];
