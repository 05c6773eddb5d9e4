/**
 * Escape closes the newest open panel or question, and only that one: a confirmation inside the
 * asset details is answered "Cancel" before the details themselves close. Each opener registers
 * while it is open (`{@attach escapeCloses(close)}` or from an `$effect`).
 */
const layers: (() => void)[] = [];

function onKeydown(event: KeyboardEvent): void {
  const close = layers.at(-1);
  if (event.key !== 'Escape' || !close) return;
  event.preventDefault();
  close();
}

export function escapeCloses(close: () => void): () => () => void {
  return () => {
    if (layers.length === 0) window.addEventListener('keydown', onKeydown);
    layers.push(close);
    return () => {
      const at = layers.lastIndexOf(close);
      if (at >= 0) layers.splice(at, 1);
      if (layers.length === 0) window.removeEventListener('keydown', onKeydown);
    };
  };
}
