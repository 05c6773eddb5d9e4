import { describe, expect, it } from 'vitest';
import { storageProblem } from '../../../../electron/core/store/storage-failure';
import { connectionLabel, heldBack } from '../../../../electron/shared/words';
import { ENGLISH } from '../../../../electron/shared/i18n';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('a failed write of the app’s own files', () => {
  it.each(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])('%s is a full disk, with what to do', (code) => {
    expect(storageProblem(failure(code))).toMatchObject({ full: true, code });
    expect(storageProblem(failure(code))?.message).toContain('Free some space');
  });

  it.each(['SQLITE_IOERR', 'SQLITE_READONLY', 'EROFS', 'EIO'])('%s is a disk problem named by its code', (code) => {
    expect(storageProblem(failure(code))).toMatchObject({ full: false, code });
    expect(storageProblem(failure(code))?.message).toContain(`(${code})`);
  });

  it.each([failure('ECONNRESET'), failure('SQLITE_CONSTRAINT'), new Error('no code'), null, 'text'])(
    'anything else is not a storage problem (%s)',
    (error) => {
      expect(storageProblem(error)).toBeNull();
    },
  );

  it('is said the same way in the status bar and on every held row', () => {
    const problem = storageProblem(failure('SQLITE_FULL'))!;
    const connection = { kind: 'storage' as const, full: true, message: problem.message };
    const session = {
      hasApiKey: true,
      keyStorage: 'secret-service' as const,
      keychainAvailable: true,
      apiBaseUrl: '',
      connection,
      locale: ENGLISH,
      systemLanguage: 'en' as const,
    };
    expect(connectionLabel(session)).toBe('Disk full: uploads paused');
    expect(heldBack(connection)).toEqual({ label: 'Paused: disk full', detail: problem.message });
  });
});
