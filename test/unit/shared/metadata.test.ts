import { describe, expect, it } from 'vitest';
import {
  fieldProblems,
  parseMetadataValue,
  resolveTemplate,
  templateProblems,
} from '../../../electron/shared/metadata';

const addedAt = new Date(2026, 10, 30, 15, 4).getTime();

describe('the batch metadata template', () => {
  it('resolves tokens per file into typed values', () => {
    const template = [
      { key: 'project', value: 'Spring', type: 'text' },
      { key: 'shoot', value: '{folder}', type: 'text' },
      { key: 'source', value: '{path}', type: 'text' },
      { key: 'clip', value: '{name}', type: 'text' },
      { key: 'format', value: '{ext}', type: 'text' },
      { key: 'added', value: '{date}', type: 'text' },
      { key: 'take', value: '{name}', type: 'integer' },
      { key: 'score', value: '4.5', type: 'number' },
      { key: 'approved', value: 'no', type: 'boolean' },
    ] as const;
    expect(resolveTemplate(template, { relativePath: 'Shoot/Day 2/A-cam/12.MOV', addedAt })).toEqual({
      ok: true,
      value: {
        project: 'Spring',
        shoot: 'A-cam',
        source: 'Shoot/Day 2/A-cam/12.MOV',
        clip: '12',
        format: 'mov',
        added: '2026-11-30',
        take: 12,
        score: 4.5,
        approved: false,
      },
    });
  });

  it('refuses a file whose value does not fit its type, naming the field and the value', () => {
    const template = [{ key: 'take', value: '{name}', type: 'integer' }] as const;
    expect(resolveTemplate(template, { relativePath: 'Shoot/intro.mp4', addedAt })).toEqual({
      ok: false,
      code: 'metadata_invalid',
      message: '“take” needs a whole number, like 3, not “intro”. Fix the template in Settings.',
    });
  });

  it('leaves out a field that comes out empty (a lone file has no folder)', () => {
    const template = [{ key: 'shoot', value: '{folder}', type: 'text' }] as const;
    expect(resolveTemplate(template, { relativePath: 'clip.mp4', addedAt })).toEqual({ ok: true, value: {} });
  });

  it('finds problems in the template itself before any file is added', () => {
    expect(
      templateProblems(
        [
          { key: '', value: 'x', type: 'text' },
          { key: 'a', value: '1', type: 'integer' },
          { key: 'a', value: '2', type: 'integer' },
          { key: 'b', value: '{nope}', type: 'text' },
          { key: 'c', value: 'maybe', type: 'boolean' },
          { key: 'content_sha256', value: 'x', type: 'text' },
        ],
        ['content_sha256'],
      ),
    ).toEqual([
      'Give every field a name.',
      '“a” is used twice.',
      '“{nope}” in “b” is not a token this app knows.',
      '“c” needs true or false, not “maybe”.',
      '“content_sha256” is kept by the app for duplicate detection; choose another name.',
    ]);
  });

  it('checks an asset’s own fields as literal values that must not be empty', () => {
    expect(
      fieldProblems([
        { key: 'note', value: '{folder} is a literal here', type: 'text' },
        { key: 'empty', value: '', type: 'text' },
        { key: 'take', value: 'x', type: 'integer' },
      ]),
    ).toEqual(['Give “empty” a value, or remove the field.', '“take” needs a whole number, like 3, not “x”.']);
  });

  it.each([
    ['integer', ' 42 ', 42],
    ['integer', '-3', -3],
    ['number', '1e3', 1000],
    ['boolean', 'TRUE', true],
    ['text', ' spaced ', ' spaced '],
  ] as const)('reads %s from %j', (type, text, value) => {
    expect(parseMetadataValue(type, text, 'take')).toEqual({ ok: true, value });
  });

  it.each([
    ['integer', '4.5'],
    ['integer', '99999999999999999999'],
    ['number', ''],
    ['number', 'NaN'],
  ] as const)('refuses %s from %j', (type, text) => {
    expect(parseMetadataValue(type, text, 'take').ok).toBe(false);
  });
});
