import { describe, expect, it } from 'vitest';
import { documentFacts, judge } from '../../../../electron/core/media/rules';
import { sniffBytes } from '../../../../electron/core/media/sniff';

const text = Buffer.from('# Day 2\n\nCafé scenes at 16:00.\n');

describe('documents, the fourth kind of asset', () => {
  it('knows a PDF by its bytes, whatever it is called', () => {
    expect(sniffBytes(Buffer.from('%PDF-1.7\n'), 'call-sheet.pdf')).toEqual({
      kind: 'document',
      mime: 'application/pdf',
    });
    expect(sniffBytes(Buffer.from('%PDF-1.7\n'), 'call-sheet.txt')).toEqual({
      kind: 'document',
      mime: 'application/pdf',
    });
  });

  it('takes text (UTF-8 too) as a document only when it is named as one', () => {
    expect(sniffBytes(text, 'notes.md')).toEqual({ kind: 'document', mime: 'text/markdown' });
    expect(sniffBytes(text, 'NOTES.MARKDOWN')).toEqual({ kind: 'document', mime: 'text/markdown' });
    expect(sniffBytes(text, 'reel.txt')).toEqual({ kind: 'document', mime: 'text/plain' });
    expect(sniffBytes(text, 'notes-renamed.mp4')).toEqual({ kind: null, mime: 'text/plain' });
    expect(sniffBytes(text, 'make-fixtures.sh')).toEqual({ kind: null, mime: 'text/plain' });
  });

  it('passes a document within the limit that is named the way its content is', () => {
    const input = {
      kind: 'document' as const,
      mime: 'application/pdf',
      size: 1000,
      facts: documentFacts('application/pdf'),
    };
    expect(judge({ ...input, name: 'call-sheet.pdf' })).toEqual({ ok: true, warnings: [] });
    expect(documentFacts('text/markdown').container).toBe('Markdown');
  });

  it('refuses a PDF named otherwise, saying how to rename it (TwelveLabs refuses those too)', () => {
    const verdict = judge({
      kind: 'document',
      mime: 'application/pdf',
      size: 1000,
      facts: documentFacts('application/pdf'),
      name: 'call-sheet.txt',
    });
    expect(verdict).toEqual({
      ok: false,
      code: 'document_extension_mismatch',
      message:
        'This is a PDF file named “.txt”; TwelveLabs refuses documents whose name does not match their content. Rename it to end in .pdf.',
    });
  });

  it('refuses a document over the limit (200 MB) with both sizes', () => {
    const verdict = judge({
      kind: 'document',
      mime: 'application/pdf',
      size: 250 * 1000 * 1000,
      facts: documentFacts('application/pdf'),
      name: 'scan.pdf',
    });
    expect(verdict).toMatchObject({ ok: false, code: 'document_filesize_too_large' });
    expect(verdict.ok === false && verdict.message).toBe(
      'This document is 250 MB; TwelveLabs takes documents up to 200 MB. Split it into smaller files.',
    );
  });
});
