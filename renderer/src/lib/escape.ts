/**
 * Escape closes the newest open panel or question, and only that one: a confirmation inside the
 * asset details is answered "Cancel" before the details themselves close. Each opener registers
 * while it is open (`{@attach escapeCloses(close)}`).
 *
 * Focus follows: a panel takes it when it opens (unless something in it, the safe choice of a
 * question, took it already), and when it closes, by Escape or any button, focus goes back to
 * what opened it, so the keyboard never loses its place to the page.
 */
const layers: (() => void)[] = [];

function onKeydown(event: KeyboardEvent): void {
  const close = layers.at(-1);
  if (event.key !== 'Escape' || !close) return;
  event.preventDefault();
  close();
}

/**
 * The element focused before the current one: a panel whose own button took the focus as it
 * mounted (the safe choice of a question) was opened from that one.
 */
let previous: Element | null = null;
let current: Element | null = null;
window.addEventListener('focusin', (event) => {
  previous = current;
  current = event.target instanceof Element ? event.target : null;
});

/** Focus is nowhere a person put it: on the page itself, or inside what has just closed. */
function lost(node: HTMLElement): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || node.contains(active);
}

export function escapeCloses(close: () => void): (node: HTMLElement) => () => void {
  return (node) => {
    const active = node.contains(document.activeElement) ? previous : document.activeElement;
    const opener = active instanceof HTMLElement && !node.contains(active) ? active : null;
    // After the panel's own content mounted, so a button it focuses keeps the focus.
    queueMicrotask(() => {
      if (!node.isConnected || node.contains(document.activeElement)) return;
      if (!node.hasAttribute('tabindex')) node.tabIndex = -1;
      node.focus();
    });
    if (layers.length === 0) window.addEventListener('keydown', onKeydown);
    layers.push(close);
    return () => {
      const at = layers.lastIndexOf(close);
      if (at >= 0) layers.splice(at, 1);
      if (layers.length === 0) window.removeEventListener('keydown', onKeydown);
      queueMicrotask(() => {
        if (opener?.isConnected && lost(node)) opener.focus();
      });
    };
  };
}
