/**
 * Browsers cap an element's height (Chromium near 33.5 million pixels, Firefox near 17.9 million):
 * a million rows of 60 px would be cut off two thirds of the way. Past this height the list's
 * scroll range is this tall and stands for the whole list, each pixel of scroll moving several
 * of the list; below it a pixel is a pixel.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

/** Where a list of `count` rows of `rowHeight` stands when scrolled to `scrollTop` in a viewport `height` tall. */
export interface ScrollPlace {
  /** The scroll range's height (the spacer's). */
  readonly spacer: number;
  /** The list's own offset at the viewport's top: rows sit at `index * rowHeight` in it. */
  readonly offset: number;
  /** Pixels of list per pixel of scroll (1 below the cap). */
  readonly scale: number;
}

export function scrollPlace(count: number, rowHeight: number, scrollTop: number, height: number): ScrollPlace {
  const full = count * rowHeight;
  if (full <= MAX_SCROLL_HEIGHT) return { spacer: full, offset: scrollTop, scale: 1 };
  // The scroll's end is the list's end: the last row shows at the bottom.
  const scale = (full - height) / (MAX_SCROLL_HEIGHT - height);
  return { spacer: MAX_SCROLL_HEIGHT, offset: scrollTop * scale, scale };
}
