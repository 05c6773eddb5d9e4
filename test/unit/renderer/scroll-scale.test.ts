import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, scrollPlace } from '../../../renderer/src/ui/scroll-scale';

describe('a list taller than a browser lets an element be', () => {
  it('below the cap, a pixel of scroll is a pixel of list', () => {
    expect(scrollPlace(10_000, 60, 1234, 600)).toEqual({ spacer: 600_000, offset: 1234, scale: 1 });
  });

  it('a million rows of 60 px: the scroll stays under the cap and its end shows the last row', () => {
    const rows = 1_000_000;
    const height = 600;
    const top = scrollPlace(rows, 60, 0, height);
    expect(top.spacer).toBe(MAX_SCROLL_HEIGHT);
    expect(top.offset).toBe(0);
    const end = scrollPlace(rows, 60, MAX_SCROLL_HEIGHT - height, height);
    // The viewport's bottom is the list's bottom: row 999,999 is wholly in view.
    expect(end.offset + height).toBeCloseTo(rows * 60, 3);
    expect(Math.floor((end.offset + height - 1) / 60)).toBe(rows - 1);
    // Halfway down the scroll is halfway down the list.
    const half = scrollPlace(rows, 60, (MAX_SCROLL_HEIGHT - height) / 2, height);
    expect(half.offset + height / 2).toBeCloseTo((rows * 60) / 2, 3);
  });
});
