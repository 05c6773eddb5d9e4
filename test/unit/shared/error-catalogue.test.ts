import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERROR_TEMPLATES } from '../../../electron/shared/api-errors';
import { ERROR_CATALOGUE, isCatalogued, plainError } from '../../../electron/shared/error-catalogue';
import { fail } from '../../../electron/shared/result';

describe('the error catalogue', () => {
  const seed = readFileSync('test/fixtures/api/assets-api-page.txt', 'utf8');
  const seedCodes = [...seed.slice(seed.indexOf('Error codes')).matchAll(/^([a-z_]+)- /gm)].map((match) => match[1]!);

  it('knows every code a failure may carry: one outside the vocabulary does not compile', () => {
    expect(fail('no_batch', 'There is no such batch.').code).toBe('no_batch');
    // @ts-expect-error -- a code outside the catalogue and the refusals is a type error (`npm run typecheck`).
    expect(fail('no_such_code', 'x').ok).toBe(false);
    expect(isCatalogued('video_file_broken')).toBe(true);
    expect(isCatalogued('no_such_code')).toBe(false);
  });

  it('has plain words and an action for every code the API documents', () => {
    expect(seedCodes).toHaveLength(22);
    for (const code of [...seedCodes, ...Object.keys(API_ERROR_TEMPLATES)]) {
      const entry = (ERROR_CATALOGUE as Record<string, { message: string; action: string }>)[code];
      expect(entry, code).toBeDefined();
      expect(entry!.message).not.toMatch(/\b[a-z]+_[a-z_]+\b|\b[45]\d\d\b/);
      expect(entry!.action.length).toBeGreaterThan(5);
    }
  });

  it('has its own words for every code the app itself gives a failed file', () => {
    // Each code the core puts on a failed row (the rest map to network or server_error first).
    for (const code of ['file_changed', 'file_missing', 'incomplete', 'insecure_upload_url', 'processing_failed']) {
      expect(plainError(code), code).not.toBe(ERROR_CATALOGUE.unknown);
    }
  });

  it('falls back to a readable entry for a code it does not know', () => {
    expect(plainError('some_new_server_code')).toBe(ERROR_CATALOGUE.unknown);
  });
});
