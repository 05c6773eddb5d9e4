import { describe, expect, it } from 'vitest';
import { commonFolder, problemBanner } from '../../../electron/shared/banner';
import { NO_OUTCOME } from '../../../electron/shared/batch';
import type { Connection, SessionState } from '../../../electron/shared/session';
import { connectionLabel, heldBack } from '../../../electron/shared/words';
import { ENGLISH } from '../../../electron/shared/i18n';

const session = (connection: Connection): SessionState => ({
  hasApiKey: true,
  keyStorage: 'secret-service',
  keychainAvailable: true,
  apiBaseUrl: 'https://api.twelvelabs.io/v1.3',
  connection,
  locale: ENGLISH,
  systemLanguage: 'en',
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
    const long = problemBanner(session({ kind: 'offline', since: NOW - 5 * 60_000 }), outcome, null, NOW);
    expect(long?.message).toMatch(
      /^No connection to TwelveLabs since \d\d:\d\d( [AP]M)?\. 12 files wait, and go on by themselves/,
    );
    expect(long?.action).toBeNull();
  });

  it('something in the way of the network is a banner at once, in its own words, never "no connection"', () => {
    const problem = { code: 'certificate', host: 'api.twelvelabs.io', hop: 'api', by: 'Example Corp Root CA' } as const;
    const banner = problemBanner(session({ kind: 'blocked', problem, since: NOW }), outcome, null, NOW);
    expect(banner).toEqual({
      message:
        "Secure connection not trusted. api.twelvelabs.io was presented with a certificate issued by Example Corp Root CA this computer does not trust: your company may inspect secure traffic. Install its root certificate in the system's store (the app trusts what the system trusts), or choose its file in Settings → Network (for the command line tool, --ca-cert). Checking is never turned off. 12 files wait until then; nothing has failed.",
      action: { id: 'network-settings', label: 'Network settings' },
    });
    expect(connectionLabel(session({ kind: 'blocked', problem, since: NOW }))).toBe('Secure connection not trusted');
    // A name not found may be a laptop that woke offline: like an outage, a banner only after a minute.
    const name = { code: 'name-not-found', host: 'api.twelvelabs.io', hop: 'api' } as const;
    expect(problemBanner(session({ kind: 'blocked', problem: name, since: NOW - 30_000 }), outcome, null, NOW)).toEqual(
      expect.objectContaining({ action: { id: 'show-missing', label: 'Show them' } }),
    );
    expect(
      problemBanner(session({ kind: 'blocked', problem: name, since: NOW - 90_000 }), outcome, null, NOW)?.message,
    ).toMatch(/^Cannot find api\.twelvelabs\.io\. /);
    const storage = {
      code: 'proxy-refused',
      host: 'bucket.s3.amazonaws.com',
      hop: 'storage',
      by: 'proxy:8080',
    } as const;
    expect(heldBack({ kind: 'blocked', problem: storage, since: NOW })).toEqual({
      label: 'Storage: The proxy does not allow bucket.s3.amazonaws.com',
      detail:
        'TwelveLabs answers, but files go to its storage at bucket.s3.amazonaws.com, which this computer cannot reach. The proxy proxy:8080 refused to connect to bucket.s3.amazonaws.com (403: a policy). Ask IT to allow bucket.s3.amazonaws.com.',
    });
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
