import { assertNever } from './result';
import { networkProblemWords } from './network';
import type { Connection, SessionState } from './session';
import { clockTime, m } from './i18n';

/**
 * The status bar's words for the connection, shared by the window, the CLI and notifications so
 * every surface says the same thing (UX.md, "Words for states").
 */
export function connectionLabel(session: SessionState): string {
  if (!session.hasApiKey) return m.connection_no_key();
  const { connection } = session;
  switch (connection.kind) {
    case 'unknown':
      return m.connection_connecting();
    case 'online':
      return m.connection_online();
    case 'offline':
      return m.connection_offline();
    case 'blocked':
      return networkProblemWords(connection.problem).label;
    case 'rate-limited':
      return m.connection_rate_limited({ time: clockTime(connection.until) });
    case 'key-rejected':
      return m.connection_key_rejected();
    case 'storage':
      return connection.full ? m.connection_disk_full() : m.connection_cannot_save();
    default:
      return assertNever(connection);
  }
}

/** What waiting files say outside the upload window (UX.md's words for a held queue). */
export function scheduleHeld(until: number): { label: string; detail: string } {
  return {
    label: m.schedule_held_label({ time: clockTime(until) }),
    detail: m.schedule_held_detail(),
  };
}

/**
 * What a waiting or uploading file says while the whole queue is held back (UX.md): the same words
 * on every such row. Null when nothing holds the queue.
 */
export function heldBack(connection: Connection): { label: string; detail: string } | null {
  switch (connection.kind) {
    case 'offline':
      return { label: m.connection_offline(), detail: m.held_offline_detail() };
    case 'blocked':
      return networkProblemWords(connection.problem);
    case 'rate-limited':
      return {
        label: m.held_rate_limited_label(),
        detail: m.held_rate_limited_detail({ time: clockTime(connection.until) }),
      };
    case 'key-rejected':
      return { label: m.held_key_label(), detail: m.held_key_detail() };
    case 'storage':
      return {
        label: connection.full ? m.held_disk_full_label() : m.held_cannot_save_label(),
        detail: connection.message,
      };
    case 'online':
    case 'unknown':
      return null;
    default:
      return assertNever(connection);
  }
}
