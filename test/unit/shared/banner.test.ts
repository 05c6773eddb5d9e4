import { describe, expect, it } from 'vitest';
import { commonFolder, problemBanner } from '../../../electron/shared/banner';
import { NO_OUTCOME } from '../../../electron/shared/batch';
import type { Connection, SessionState } from '../../../electron/shared/session';

const session = (connection: Connection): SessionState => ({
  hasApiKey: true,
  keyStorage: 'secret-service',
  keychainAvailable: true,
  apiBaseUrl: 'https://api.twelvelabs.io/v1.3',
  connection,
});
const outcome = { ...NO_OUTCOME, total: 20, toGo: 12, missing: 3 };
const NOW = Date.UTC(2026, 11, 2, 14, 30);

describe('the problem banner', () => {
  it('a rejected key comes first, says nothing failed, and offers Update key', () => {
    expect(problemBanner(session({ kind: 'key-rejected' }), outcome, '/Volumes/CARD01', NOW)).toEqual({
      message: 'TwelveLabs did not accept your API key. 12 files wait until it is updated; nothing has failed.',
      action: { id: 'update-key', label: 'Update key' },
    });
  });

  it('an outage is a banner only after a minute, and says since when and how many wait', () => {
    const since = NOW - 30_000;
    expect(problemBanner(session({ kind: 'offline', since }), { ...outcome, missing: 0 }, null, NOW)).toBeNull();
    const long = problemBanner(session({ kind: 'offline', since: NOW - 5 * 60_000 }), outcome, null, NOW, 'en-GB');
    expect(long?.message).toMatch(
      /^No connection to TwelveLabs since \d\d:\d\d\. 12 files wait, and go on by themselves/,
    );
    expect(long?.action).toBeNull();
  });

  it('a missing drive names where the files were and offers to show them', () => {
    expect(problemBanner(session({ kind: 'online' }), outcome, '/Volumes/CARD01', NOW)).toEqual({
      message: '3 files wait for /Volumes/CARD01 to be connected again. Reconnect it, or remove them from the list.',
      action: { id: 'show-missing', label: 'Show them' },
    });
    expect(problemBanner(session({ kind: 'online' }), { ...outcome, missing: 0 }, null, NOW)).toBeNull();
  });

  it('finds the folder missing files share', () => {
    expect(commonFolder(['/Volumes/CARD01/DCIM/A001.mov', '/Volumes/CARD01/DCIM/B/A002.mov'])).toBe(
      '/Volumes/CARD01/DCIM',
    );
    expect(commonFolder(['/Volumes/A/x.mov', '/Volumes/B/y.mov'])).toBe('/Volumes');
    expect(commonFolder(['/a.mov', '/b.mov'])).toBeNull();
    expect(commonFolder(['E:\\Footage\\a.mov', 'E:\\Footage\\b.mov'])).toBe('E:\\Footage');
    expect(commonFolder([])).toBeNull();
  });
});
