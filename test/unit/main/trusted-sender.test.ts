import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/main/trusted-sender';

const fileApp = new URL('file:///opt/app/out/renderer/index.html');
const devApp = new URL('http://localhost:5173/');

describe('the IPC sender check', () => {
  it('trusts the top frame of the app page', () => {
    expect(isTrustedSender({ url: 'file:///opt/app/out/renderer/index.html', parent: null }, fileApp)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/#settings', parent: null }, devApp)).toBe(true);
  });

  it.each([
    ['a sub-frame', { url: 'file:///opt/app/out/renderer/index.html', parent: {} }, fileApp],
    ['another local file', { url: 'file:///tmp/evil.html', parent: null }, fileApp],
    ['a web page', { url: 'https://example.com/', parent: null }, fileApp],
    ['another origin in development', { url: 'http://localhost:6000/', parent: null }, devApp],
    ['an unparsable address', { url: 'not a url', parent: null }, fileApp],
    ['a missing frame', null, fileApp],
  ])('refuses %s', (_name, frame, origin) => {
    expect(isTrustedSender(frame, origin)).toBe(false);
  });
});
