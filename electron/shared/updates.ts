import { formatPercent, m } from './i18n';

/** Where the app's own updates stand, as Settings and the status bar show it. */
export type UpdateState =
  /** No updates here (running from source); `reason` says why, in words. */
  | { readonly kind: 'off'; readonly reason: UpdatesOff }
  | { readonly kind: 'idle'; readonly checkedAt: number | null }
  | { readonly kind: 'checking' }
  | { readonly kind: 'downloading'; readonly version: string; readonly percent: number }
  /** Downloaded: "A new version is ready: Restart to update". */
  | { readonly kind: 'ready'; readonly version: string }
  /** Restart was asked for while files upload: it happens when the queue is done. */
  | { readonly kind: 'waiting-for-uploads'; readonly version: string }
  | { readonly kind: 'error'; readonly message: string };

export interface UpdateInfo {
  /** This app's version. */
  readonly current: string;
  readonly state: UpdateState;
}

/**
 * Why there are no updates here: running from source; an unsigned Windows build (an update could
 * not be checked as coming from TwelveLabs); the Debian package (apt updates it).
 */
export type UpdatesOff = 'source' | 'unsigned' | 'package-manager';

const OFF_WORDS: Readonly<Record<UpdatesOff, () => string>> = {
  source: m.update_off_source,
  unsigned: m.update_off_unsigned,
  'package-manager': m.update_off_package_manager,
};

/** The words for an update state, the same in Settings and the status bar. */
export function updateWords(state: UpdateState): string {
  switch (state.kind) {
    case 'off':
      return OFF_WORDS[state.reason]();
    case 'idle':
      return state.checkedAt === null ? m.update_not_checked() : m.update_newest();
    case 'checking':
      return m.update_checking();
    case 'downloading':
      return m.update_downloading({ version: state.version, percent: formatPercent(state.percent) });
    case 'ready':
      return m.update_ready({ version: state.version });
    case 'waiting-for-uploads':
      return m.update_waiting({ version: state.version });
    case 'error':
      return m.update_error({ reason: state.message });
  }
}
