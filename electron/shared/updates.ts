/** Where the app's own updates stand, as Settings and the status bar show it. */
export type UpdateState =
  /** No updates here (running from source); `reason` says why, in words. */
  | { readonly kind: 'off'; readonly reason: string }
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

/** The words for an update state, the same in Settings and the status bar. */
export function updateWords(state: UpdateState): string {
  switch (state.kind) {
    case 'off':
      return state.reason;
    case 'idle':
      return state.checkedAt === null ? 'Not checked yet' : 'You have the newest version';
    case 'checking':
      return 'Checking for updates…';
    case 'downloading':
      return `Downloading version ${state.version} (${Math.round(state.percent)}%)`;
    case 'ready':
      return `A new version is ready: Restart to update (${state.version})`;
    case 'waiting-for-uploads':
      return `Version ${state.version} is installed when the uploads finish`;
    case 'error':
      return `Could not check for updates: ${state.message}`;
  }
}
