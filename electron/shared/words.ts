import { assertNever } from './result';
import { networkProblemWords } from './network';
import type { Connection, SessionState } from './session';

/** Formats a clock time the way the person's locale does ("14:32" or "2:32 PM"). */
export function clockTime(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/**
 * The status bar's words for the connection, shared by the window, the CLI and notifications so
 * every surface says the same thing (UX.md, "Words for states").
 */
export function connectionLabel(session: SessionState, locale?: string): string {
  if (!session.hasApiKey) return 'No API key yet';
  const { connection } = session;
  switch (connection.kind) {
    case 'unknown':
      return 'Connecting';
    case 'online':
      return 'Online';
    case 'offline':
      return 'Waiting for network';
    case 'blocked':
      return networkProblemWords(connection.problem).label;
    case 'rate-limited':
      return `Slowed down by the server until ${clockTime(connection.until, locale)}`;
    case 'key-rejected':
      return 'API key rejected';
    case 'storage':
      return connection.full ? 'Disk full: uploads paused' : 'Cannot save the queue: uploads paused';
    default:
      return assertNever(connection);
  }
}

/** What waiting files say outside the upload window (UX.md's words for a held queue). */
export function scheduleHeld(until: number, locale?: string): { label: string; detail: string } {
  return {
    label: `Waiting until ${clockTime(until, locale)} (schedule)`,
    detail: 'Uploads run in the hours set in Settings. Upload now sends a file at once.',
  };
}

/**
 * What a waiting or uploading file says while the whole queue is held back (UX.md): the same words
 * on every such row. Null when nothing holds the queue.
 */
export function heldBack(connection: Connection, locale?: string): { label: string; detail: string } | null {
  switch (connection.kind) {
    case 'offline':
      return { label: 'Waiting for network', detail: 'Resumes by itself when the connection is back' };
    case 'blocked':
      return networkProblemWords(connection.problem);
    case 'rate-limited':
      return {
        label: 'Slowed down',
        detail: `TwelveLabs asked us to wait until ${clockTime(connection.until, locale)}`,
      };
    case 'key-rejected':
      return { label: 'Paused: API key', detail: 'Your API key was rejected. Update it in Settings.' };
    case 'storage':
      return { label: connection.full ? 'Paused: disk full' : 'Paused: cannot save', detail: connection.message };
    case 'online':
    case 'unknown':
      return null;
    default:
      return assertNever(connection);
  }
}
