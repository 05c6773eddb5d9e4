import { focusItem, listKey, rangeOf } from './keyboard';

/** What a list's selection offers the keyboard: the Library's and the queue's alike. */
export interface ItemSelection {
  readonly selected: ReadonlySet<string>;
  select(ids: readonly string[]): void;
  toggle(id: string): void;
  /** Everything the list holds, loaded or not. */
  selectAll(): void | Promise<void>;
}

export interface ItemKeysOptions<T extends { readonly id: string }> {
  readonly items: () => readonly T[];
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
  let anchor: string | null = null;
  const columns = () => options.columns?.() ?? 1;
  const ids = () => options.items().map((item) => item.id);

  function extendTo(id: string): void {
    options.selection().select([...new Set([...options.selection().selected, ...rangeOf(ids(), anchor, id)])]);
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
      const current = items[at];
      if (!key || !current) return;
      event.preventDefault();
      if ('move' in key) {
        const target = items[key.move]!;
        if (key.extend) {
          anchor ??= current.id;
          extendTo(target.id);
        }
        focused = key.move;
        options.reveal(key.move);
        void focusItem(event.currentTarget as Element, key.move);
        return;
      }
      if (key.act === 'open') options.onOpen(current);
      else if (key.act === 'toggle') {
        options.selection().toggle(current.id);
        anchor = current.id;
      } else if (key.act === 'all') void options.selection().selectAll();
      else {
        if (options.selection().selected.size === 0) options.selection().select([current.id]);
        options.onDelete();
      }
    },
    /** A click on item `at`'s checkbox: with Shift, the range from the last item picked. */
    pick(event: MouseEvent, at: number): void {
      event.stopPropagation();
      const item = options.items()[at];
      if (!item) return;
      if (event.shiftKey && anchor !== null) extendTo(item.id);
      else options.selection().toggle(item.id);
      anchor = item.id;
      focused = at;
    },
  };
}
