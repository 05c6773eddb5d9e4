import type { Rows } from '../ui/VirtualList.svelte';
import { focusItem, listKey } from './keyboard';

/** What a list's selection offers the keyboard: the Library's and the queue's alike. */
export interface ItemSelection {
  /** How many are picked (0: Delete takes the focused item). */
  readonly count: number;
  select(ids: readonly string[]): void;
  toggle(id: string): void;
  /** Picks the items from row `from` to row `to` (both included, either way round) as well. */
  addRange(from: number, to: number): void | Promise<void>;
  /** Everything the list holds, loaded or not. */
  selectAll(): void | Promise<void>;
}

export interface ItemKeysOptions<T extends { readonly id: string }> {
  readonly items: () => Rows<T>;
  readonly columns?: () => number;
  /** Scrolls item `index` into view (it may not be drawn yet). */
  readonly reveal: (index: number) => void;
  readonly selection: () => ItemSelection;
  readonly onOpen: (item: T) => void;
  /** Delete pressed: the selection (the focused item, when nothing is selected) is to be removed. */
  readonly onDelete: () => void;
}

/**
 * Keyboard and range selection for a virtual list or grid: one item in the tab order (roving
 * focus), arrows and Home/End/Page keys move it, Shift extends the selection from the last item
 * picked, Space picks, Enter opens, Ctrl/Cmd-A selects all, Delete asks to remove. Shift-click on
 * an item's checkbox picks the range from the last one picked.
 */
export function itemKeys<T extends { readonly id: string }>(options: ItemKeysOptions<T>) {
  let focused = $state(0);
  /** The last item picked, by place, and its id to find it again when the list has moved. */
  let anchor: { at: number; id: string } | null = null;
  const columns = () => options.columns?.() ?? 1;

  /** Where the anchor is now: its place, unless another item stands there and it is drawn elsewhere. */
  function anchorAt(): number | null {
    if (anchor === null) return null;
    const items = options.items();
    if (items.at(anchor.at)?.id === anchor.id) return anchor.at;
    for (let at = Math.max(0, anchor.at - 500); at < Math.min(items.length, anchor.at + 500); at += 1)
      if (items.at(at)?.id === anchor.id) return at;
    return anchor.at;
  }

  function extendTo(at: number): void {
    void options.selection().addRange(anchorAt() ?? at, at);
  }

  return {
    /** The item in the tab order, kept within the list as it shrinks. */
    get focused(): number {
      return Math.max(0, Math.min(focused, options.items().length - 1));
    },
    focus(at: number): void {
      focused = at;
    },
    onkeydown(event: KeyboardEvent): void {
      const items = options.items();
      const at = Math.max(0, Math.min(focused, items.length - 1));
      const key = listKey(event, at, items.length, columns());
      const current = items.at(at);
      if (!key || !current) return;
      event.preventDefault();
      if ('move' in key) {
        if (key.extend) {
          anchor ??= { at, id: current.id };
          extendTo(key.move);
        }
        focused = key.move;
        options.reveal(key.move);
        void focusItem(event.currentTarget as Element, key.move);
        return;
      }
      if (key.act === 'open') options.onOpen(current);
      else if (key.act === 'toggle') {
        options.selection().toggle(current.id);
        anchor = { at, id: current.id };
      } else if (key.act === 'all') void options.selection().selectAll();
      else {
        if (options.selection().count === 0) options.selection().select([current.id]);
        options.onDelete();
      }
    },
    /** A click on item `at`'s checkbox: with Shift, the range from the last item picked. */
    pick(event: MouseEvent, at: number): void {
      event.stopPropagation();
      const item = options.items().at(at);
      if (!item) return;
      if (event.shiftKey && anchor !== null) extendTo(at);
      else options.selection().toggle(item.id);
      anchor = { at, id: item.id };
      focused = at;
    },
  };
}
