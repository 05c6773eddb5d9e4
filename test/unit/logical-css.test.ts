import { glob, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

/**
 * Styles say "start" and "end", not "left" and "right", so a right-to-left language can come later
 * without a redesign: every physical side the window's CSS could name, with its logical form.
 */
const PHYSICAL =
  /(?<![-\w])(?:(?:margin|padding|border|inset|scroll-margin|scroll-padding)-(?:left|right)|left|right)\s*:|(?:text-align|float|clear)\s*:\s*(?:left|right)\b|border-(?:top|bottom)-(?:left|right)-radius/;

async function styleLines(): Promise<string[]> {
  const found: string[] = [];
  for await (const file of glob('renderer/src/**/*.{svelte,css}')) {
    const text = await readFile(file, 'utf8');
    // In a component, only its <style> and inline style attributes are CSS.
    const css = file.endsWith('.css')
      ? text
      : [...text.matchAll(/<style[^>]*>([\s\S]*?)<\/style>|style(?::[\w-]+)?="([^"]*)"/g)]
          .map((match) => match[1] ?? match[2])
          .join('\n');
    for (const line of css.split('\n')) if (PHYSICAL.test(line)) found.push(`${file}: ${line.trim()}`);
  }
  return found;
}

describe("the window's styles", () => {
  it('use logical properties, never a physical left or right', async () => {
    expect(await styleLines()).toEqual([]);
  });

  it('would see a physical side if one were written', () => {
    for (const css of ['padding-left: 4px', '  left: 0;', 'text-align: right', 'border-top-left-radius: 2px']) {
      expect(css).toMatch(PHYSICAL);
    }
    for (const css of ['padding-inline-start: 4px', 'inset-inline-start: 0', 'text-align: end', 'scroll-left']) {
      expect(css).not.toMatch(PHYSICAL);
    }
  });
});
