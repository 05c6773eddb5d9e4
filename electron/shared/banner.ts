import type { BatchOutcome } from './batch';
import { networkProblemWords, passesByItself } from './network';
import { assertNever } from './result';
import type { SessionState } from './session';
import { clockTime } from './words';

/** What the banner's button does: open Settings at the key or the network, or show the files that wait. */
export type BannerAction = 'update-key' | 'network-settings' | 'show-missing';

export interface Banner {
  readonly message: string;
  readonly action: { readonly id: BannerAction; readonly label: string } | null;
}

/** An outage shorter than this is the status bar's to mention, not a banner's. */
const OFFLINE_BANNER_AFTER_MS = 60_000;

const waits = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'file waits' : 'files wait'}`;

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
  locale?: string,
): Banner | null {
  const { connection } = session;
  const waiting = outcome.toGo;
  switch (connection.kind) {
    case 'key-rejected':
      return {
        message: `TwelveLabs did not accept your API key.${waiting > 0 ? ` ${waits(waiting)} until it is updated; nothing has failed.` : ''}`,
        action: { id: 'update-key', label: 'Update key' },
      };
    case 'storage':
      return {
        message: `The upload queue cannot be saved: ${connection.message}${waiting > 0 ? ` ${waits(waiting)} until it can; nothing has failed.` : ''}`,
        action: null,
      };
    case 'offline':
      if (now - connection.since >= OFFLINE_BANNER_AFTER_MS && waiting > 0) {
        return {
          message: `No connection to TwelveLabs since ${clockTime(connection.since, locale)}. ${waits(waiting)}, and ${waiting === 1 ? 'goes' : 'go'} on by ${waiting === 1 ? 'itself' : 'themselves'} when it is back.`,
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
        message: `${words.label}. ${words.detail}${waiting > 0 ? ` ${waits(waiting)} until then; nothing has failed.` : ''}`,
        action: { id: 'network-settings', label: 'Network settings' },
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
      message: `${waits(outcome.missing)} for ${missingPlace ? `${missingPlace} to be connected again` : 'its drive'}. Reconnect it, or remove ${outcome.missing === 1 ? 'the file' : 'them'} from the list.`,
      action: { id: 'show-missing', label: outcome.missing === 1 ? 'Show it' : 'Show them' },
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
  const split = paths.map((path) => path.split(/[\\/]/));
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
