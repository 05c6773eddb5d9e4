import { tick } from 'svelte';

/** What a key does in a list or grid of items: move to one, or act on the focused one. */
export type ListKey =
  { readonly move: number; readonly extend: boolean } | { readonly act: 'open' | 'toggle' | 'all' | 'delete' };

/**
 * The keys of a list (`columns` 1) or a grid: arrows, Home/End and Page Up/Down move (with Shift,
 * the selection follows), Enter opens, Space selects, Ctrl/Cmd-A selects all, Delete removes.
 * Null for any other key, or a key meant for a field inside the item.
 */
export function listKey(event: KeyboardEvent, at: number, count: number, columns = 1, page = 10): ListKey | null {
  // Inside a control (a row's button, a checkbox) the key is the control's.
  // eslint-disable-next-line no-restricted-syntax -- a CSS selector, not words
  if ((event.target as HTMLElement | null)?.closest('input, select, textarea, button, a')) return null;
  const extend = event.shiftKey;
  const to = (index: number) => ({ move: Math.max(0, Math.min(count - 1, index)), extend });
  const mod = event.ctrlKey || event.metaKey;
  switch (event.key) {
    case 'ArrowDown':
      return to(at + columns);
    case 'ArrowUp':
      return to(at - columns);
    case 'ArrowRight':
      return columns > 1 ? to(at + 1) : null;
    case 'ArrowLeft':
      return columns > 1 ? to(at - 1) : null;
    case 'Home':
      return to(0);
    case 'End':
      return to(count - 1);
    case 'PageDown':
      return to(at + page * columns);
    case 'PageUp':
      return to(at - page * columns);
    case 'Enter':
      return { act: 'open' };
    case ' ':
      return { act: 'toggle' };
    case 'Delete':
    case 'Backspace':
      return { act: 'delete' };
    case 'a':
    case 'A':
      return mod ? { act: 'all' } : null;
    default:
      return null;
  }
}

/** Moves keyboard focus to the item drawn with `data-index={index}` inside `within`, once drawn. */
export async function focusItem(within: Element | null | undefined, index: number): Promise<void> {
  await tick();
  within?.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus();
}

/** The ids of rows `from` to `to` of a list whose rows are all read (the Library's). */
export function idsBetween(items: readonly { readonly id: string }[], from: number, to: number): string[] {
  return items.slice(Math.min(from, to), Math.max(from, to) + 1).map((item) => item.id);
}
