import { describe, expect, it } from 'vitest';
import { intakeLinks } from '../../../electron/core/media/intake';
import { findLinks, linkRelativePath } from '../../../electron/shared/links';
import { resolveTemplate } from '../../../electron/shared/metadata';

describe('links found in text', () => {
  it('takes one per line or per CSV cell, once each, without fragments, comments or other words', () => {
    const text = [
      '# links for tonight',
      'https://media.example.org/a.mp4',
      '  https://media.example.org/a.mp4#t=30  ',
      'name,url',
      'b,"https://cdn.example.org/clips/b%20final.mov?sig=1"',
      'see also mailto:someone@example.org and some words',
      'ftp://old.example.org/c.mp4',
      'file:///Users/me/d.mp4',
    ].join('\r\n');
    expect(findLinks(text)).toEqual({
      links: ['https://media.example.org/a.mp4', 'https://cdn.example.org/clips/b%20final.mov?sig=1'],
      other: ['ftp://old.example.org/c.mp4', 'file:///Users/me/d.mp4'],
    });
    expect(findLinks('no links at all')).toEqual({ links: [], other: [] });
  });

  it('shows a link as its host and decoded path, and names it after the last segment', () => {
    expect(linkRelativePath('https://cdn.example.org/clips/b%20final.mov?sig=1')).toBe(
      'cdn.example.org/clips/b final.mov',
    );
    const [item] = intakeLinks(['https://cdn.example.org/clips/b%20final.mov?sig=1'], { template: [] });
    expect(item).toMatchObject({ strategy: 'url', size: 0, relativePath: 'cdn.example.org/clips/b final.mov' });
  });

  it('resolves {host}, {path}, {name} and {ext} from the link', () => {
    const template = [
      { key: 'site', value: '{host}', type: 'text' as const },
      { key: 'where', value: '{path}', type: 'text' as const },
      { key: 'clip', value: '{name}.{ext}', type: 'text' as const },
    ];
    const [item] = intakeLinks(['https://cdn.example.org/clips/B.MOV'], { template, now: () => 0 });
    expect(item?.userMetadata).toEqual({ site: 'cdn.example.org', where: '/clips/B.MOV', clip: 'B.mov' });
    // For files {host} is empty, so the field is left out.
    expect(resolveTemplate(template.slice(0, 1), { relativePath: 'Day 1/a.mp4', addedAt: 0 })).toEqual({
      ok: true,
      value: {},
    });
  });

  it('keeps an address that is no web link as a refused row with the reason', () => {
    const [item] = intakeLinks(['ftp://old.example.org/c.mp4'], { template: [] });
    expect(item?.problem).toEqual({
      code: 'link_not_web',
      message: 'Links that start with ftp: cannot be uploaded; use one that starts with https://.',
    });
  });
});
