/** The parts of an IPC event's sender frame the check needs; Electron's WebFrameMain has them. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * True only for the top frame of our own window showing our own page. A navigated or embedded frame
 * (which the window's guards should already prevent) gets nothing from main. Scheme and host are
 * compared, not `origin`: for a scheme URL does not know (`app:`), `origin` is "null" for all.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, appUrl: URL): boolean {
  if (!frame || frame.parent !== null || !URL.canParse(frame.url)) return false;
  const url = new URL(frame.url);
  return url.protocol === appUrl.protocol && url.host === appUrl.host;
}
