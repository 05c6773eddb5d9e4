import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isSafeExternalUrl, mainWindowOptions } from '../../../electron/main/window-options';

describe('the main window', () => {
  const options = mainWindowOptions('/app/preload/index.cjs');

  it('isolates and sandboxes the page', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('keeps the minimum size the layout needs', () => {
    expect(options.minWidth).toBe(900);
    expect(options.minHeight).toBe(600);
  });

  it('allows scripts only from the app itself', () => {
    for (const developer of [true, false]) {
      const policy = contentSecurityPolicy({ developer });
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("script-src 'self';");
      expect(policy).not.toMatch(/script-src[^;]*unsafe/);
      expect(policy).toContain("object-src 'none'");
      expect(policy).toContain("frame-ancestors 'none'");
    }
  });

  it('allows loopback (the emulator) and plain http only for developers', () => {
    const released = contentSecurityPolicy({ developer: false });
    expect(released).not.toMatch(/http:|127\.0\.0\.1|localhost/);
    expect(released).toContain("connect-src 'self' https:;");
    expect(contentSecurityPolicy({ developer: true })).toContain("connect-src 'self' https: http://127.0.0.1:*");
  });

  it('leaves the policy to the headers: the page has none of its own to weaken it', () => {
    expect(readFileSync('renderer/index.html', 'utf8')).not.toContain('Content-Security-Policy');
  });

  it('sends only https links to the system browser', () => {
    expect(isSafeExternalUrl('https://playground.twelvelabs.io/')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/')).toBe(false);
    expect(isSafeExternalUrl('https://docs.twelvelabs.io/docs')).toBe(true);
    expect(isSafeExternalUrl('https://example.com/')).toBe(false);
    expect(isSafeExternalUrl('https://twelvelabs.io.example.com/')).toBe(false);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
  });
});
