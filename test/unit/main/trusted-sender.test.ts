import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../../electron/main/app-protocol';
import { isTrustedSender } from '../../../electron/main/trusted-sender';

const app = new URL(APP_URL);
const devApp = new URL('http://localhost:5173/');

describe('the IPC sender check', () => {
  it('trusts the top frame of the app page', () => {
    expect(isTrustedSender({ url: 'app://uploader/index.html#settings', parent: null }, app)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/#settings', parent: null }, devApp)).toBe(true);
  });

  it.each([
    ['a sub-frame', { url: 'app://uploader/index.html', parent: {} }, app],
    ['a local file', { url: 'file:///tmp/evil.html', parent: null }, app],
    // `new URL('app://…').origin` is "null" for every host: the check must not compare origins.
    ['another host of the same scheme', { url: 'app://elsewhere/index.html', parent: null }, app],
    ['another unknown scheme', { url: 'evil://uploader/index.html', parent: null }, app],
    ['a web page', { url: 'https://example.com/', parent: null }, app],
    ['another origin in development', { url: 'http://localhost:6000/', parent: null }, devApp],
    ['an unparsable address', { url: 'not a url', parent: null }, app],
    ['a missing frame', null, app],
  ])('refuses %s', (_name, frame, origin) => {
    expect(isTrustedSender(frame, origin)).toBe(false);
  });
});
