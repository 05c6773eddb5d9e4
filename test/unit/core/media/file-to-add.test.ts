import { describe, expect, it } from 'vitest';
import { fileToAdd, ORIGINAL_NAME_KEY } from '../../../../electron/core/media/intake';
import type { TemplateField } from '../../../../electron/shared/metadata';

const FILE = {
  path: '/cards/Day 2/A001.mov',
  relativePath: 'Day 2/A001.mov',
  size: 1000,
  mtimeMs: 0,
  kind: 'video' as const,
  mime: 'video/quicktime',
};
const TEMPLATE: TemplateField[] = [
  { key: 'shoot_day', value: '{folder}', type: 'text' },
  { key: 'take', value: '3', type: 'integer' },
];

describe('the one way a file to add is made', () => {
  it("resolves the batch's template for the file, and keeps a name's original bytes", () => {
    const file = fileToAdd(FILE, TEMPLATE, { addedAt: 0, nameBytes: 'A%FF01.mov' });
    expect(file.userMetadata).toEqual({ shoot_day: 'Day 2', take: 3, [ORIGINAL_NAME_KEY]: 'A%FF01.mov' });
    expect(file.problem).toBeUndefined();
  });

  it('refuses the file with the reason when a value does not fit it', () => {
    const file = fileToAdd(FILE, [{ key: 'take', value: '{name}', type: 'integer' }], { addedAt: 0 });
    expect(file.userMetadata).toBeUndefined();
    expect(file.problem?.code).toBe('metadata_invalid');
  });

  it("gives a link its site's host", () => {
    const link = { ...FILE, path: 'https://cdn.example.com/a.mp4', relativePath: 'cdn.example.com/a.mp4' };
    const file = fileToAdd(link, [{ key: 'source', value: '{host}', type: 'text' }], {
      addedAt: 0,
      host: 'cdn.example.com',
    });
    expect(file.userMetadata).toEqual({ source: 'cdn.example.com' });
  });
});
