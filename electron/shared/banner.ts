import type { BatchOutcome } from './batch';
import { networkProblemWords, passesByItself } from './network';
import { assertNever } from './result';
import type { SessionState } from './session';
import { clockTime, counted, m } from './i18n';
import { partsOf } from './paths';

/** What the banner's button does: open Settings at the key or the network, or show the files that wait. */
export type BannerAction = 'update-key' | 'network-settings' | 'show-missing';

export interface Banner {
  readonly message: string;
  readonly action: { readonly id: BannerAction; readonly label: string } | null;
}

/** An outage shorter than this is the status bar's to mention, not a banner's. */
const OFFLINE_BANNER_AFTER_MS = 60_000;

/** Sentences in a row, the second only when there is one (Japanese and Chinese need no space). */
function sentences(first: string, second: string | false): string {
  return second ? `${first} ${second}` : first;
}

/**
 * The one problem the person must act on (or know about), for the top of the window, with its fix
 * as a button when the app has one. The first that applies wins: a rejected key stops everything,
 * so it comes before an outage, which comes before a missing drive. `missingPlace` names where the
 * missing files were (a drive, a folder); `now` is the caller's clock.
 */
export function problemBanner(
  session: SessionState,
  outcome: BatchOutcome,
  missingPlace: string | null,
  now: number,
): Banner | null {
  const { connection } = session;
  const waiting = outcome.toGo;
  switch (connection.kind) {
    case 'key-rejected':
      return {
        message: sentences(m.banner_key_rejected(), waiting > 0 && m.banner_wait_until_updated(counted(waiting))),
        action: { id: 'update-key', label: m.action_update_key() },
      };
    case 'storage':
      return {
        message: sentences(
          m.banner_storage({ reason: connection.message }),
          waiting > 0 && m.banner_wait_until_can(counted(waiting)),
        ),
        action: null,
      };
    case 'offline':
      if (now - connection.since >= OFFLINE_BANNER_AFTER_MS && waiting > 0) {
        return {
          message: m.banner_offline({ time: clockTime(connection.since), ...counted(waiting) }),
          action: null,
        };
      }
      break;
    case 'blocked': {
      // What may pass by itself (a name or route that comes back, as on a laptop that just woke
      // offline) waits a minute like an outage; a login, a policy or a certificate is said at once.
      if (passesByItself(connection.problem) && (now - connection.since < OFFLINE_BANNER_AFTER_MS || waiting === 0)) {
        break;
      }
      const words = networkProblemWords(connection.problem);
      return {
        message: sentences(m.banner_problem(words), waiting > 0 && m.banner_wait_until_then(counted(waiting))),
        action: { id: 'network-settings', label: m.action_network_settings() },
      };
    }
    case 'unknown':
    case 'online':
    case 'rate-limited':
      break;
    default:
      return assertNever(connection);
  }
  if (outcome.missing > 0) {
    return {
      message: missingPlace
        ? m.banner_missing_place({ place: missingPlace, ...counted(outcome.missing) })
        : m.banner_missing_drive(counted(outcome.missing)),
      action: { id: 'show-missing', label: m.action_show_missing(counted(outcome.missing)) },
    };
  }
  return null;
}

/**
 * Where files that went missing were: the folder all their paths share (on a card or an external
 * drive, its mount point or a folder on it), or null when they share nothing useful.
 */
export function commonFolder(paths: readonly string[]): string | null {
  if (paths.length === 0) return null;
  const split = paths.map(partsOf);
  const first = split[0]!;
  let shared = 0;
  while (
    shared < first.length - 1 &&
    split.every((parts) => parts.length - 1 > shared && parts[shared] === first[shared])
  )
    shared += 1;
  const folder = first.slice(0, shared).join(paths[0]!.includes('\\') ? '\\' : '/');
  return folder === '' || folder === '/' ? null : folder;
}
