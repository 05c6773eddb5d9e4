import { onTestFinished } from 'vitest';

/**
 * Closes `opened` when the current test ends, passed or failed (last opened, first closed), so a
 * failing test never leaves a server, an engine or a database open for the next one. Its `close`
 * becomes safe to call twice: a test that closes it on purpose (to restart) still may.
 */
export function closeAfter<T extends { close(): unknown }>(opened: T): T {
  const close = opened.close.bind(opened);
  let closing: Promise<unknown> | undefined;
  opened.close = (() => (closing ??= Promise.resolve().then(close))) as T['close'];
  onTestFinished(async () => {
    await opened.close();
  });
  return opened;
}
