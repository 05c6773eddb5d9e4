import { assertNever } from './result';
import type { SessionState } from './session';

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
    case 'rate-limited':
      return `Slowed down by the server until ${clockTime(connection.until, locale)}`;
    case 'key-rejected':
      return 'API key rejected';
    default:
      return assertNever(connection);
  }
}
