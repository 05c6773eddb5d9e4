import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestApp } from '../../helpers/app';
import { runCli } from '../../helpers/cli';
import { api, useEmulator } from '../../helpers/emulator';
import { tempDir } from '../../helpers/temp-dir';
import { closeAfter } from '../../helpers/cleanup';

const DOCUMENTS = join(import.meta.dirname, '../../fixtures/documents');
const doc = (name: string) => join(DOCUMENTS, name);

describe('documents (PDF, text, Markdown)', () => {
  const emulator = useEmulator();

  it('upload in one request, reach the Library as documents with their pages, and filter', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    await app.contract.handlers['uploads:add-dropped']([
      doc('call-sheet.pdf'),
      doc('shot-notes.md'),
      doc('reel-notes.txt'),
      doc('misnamed.txt'),
    ]);
    await app.engine.whenIdle();
    const byName = new Map((await app.engine.items()).map((item) => [item.name, item]));
    for (const name of ['call-sheet.pdf', 'shot-notes.md', 'reel-notes.txt']) {
      expect(byName.get(name)).toMatchObject({ kind: 'document', strategy: 'direct', status: { kind: 'ready' } });
    }
    expect(byName.get('misnamed.txt')?.status).toMatchObject({
      kind: 'rejected',
      code: 'document_extension_mismatch',
      message:
        'This is a PDF file named “.txt”; TwelveLabs refuses documents whose name does not match their content. Rename it to end in .pdf.',
    });

    await app.library.refresh();
    const page = await app.contract.handlers['library:list']({
      search: '',
      kind: 'document',
      status: 'all',
      sort: 'name',
      index: 'all',
    });
    expect(page.ok && page.value.assets.map((asset) => [asset.filename, asset.kind])).toEqual([
      ['call-sheet.pdf', 'document'],
      ['reel-notes.txt', 'document'],
      ['shot-notes.md', 'document'],
    ]);
    const pdf = byName.get('call-sheet.pdf')?.status as { assetId: string };
    const detail = await app.contract.handlers['library:detail'](pdf.assetId);
    expect(detail.ok && detail.value.pages).toBe(2);
    const { body } = await api(emulator.current, `/assets/${pdf.assetId}`);
    expect(body.file_type).toBe('application/pdf');
  });

  it('the emulator refuses a PDF named .txt, as TwelveLabs does, when nothing checked it first', async () => {
    const form = new FormData();
    form.set('method', 'direct');
    form.set(
      'file',
      new Blob([await import('node:fs/promises').then((fs) => fs.readFile(doc('misnamed.txt')))]),
      'misnamed.txt',
    );
    const { status, body } = await api(emulator.current, '/assets', { method: 'POST', body: form });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'parameter_invalid' });
    expect(body.message).toContain('does not match its content (application/pdf)');
  });

  it('the CLI lists documents with --type document', async () => {
    const { code, output } = await runCli(emulator.current, await tempDir(), [
      'assets',
      'list',
      '--type',
      'document',
      '--json',
    ]);
    expect(code).toBe(0);
    const names = output
      .trim()
      .split('\n')
      .flatMap((line) => {
        const parsed = JSON.parse(line);
        return parsed.filename
          ? [parsed.filename]
          : (parsed.data ?? []).map((asset: { filename: string }) => asset.filename);
      });
    expect(names.sort()).toEqual(['call-sheet.pdf', 'reel-notes.txt', 'shot-notes.md']);
  });
});
