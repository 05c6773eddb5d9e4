import type { BrowserWindowConstructorOptions } from 'electron';
import { isTwelveLabsAddress } from '../shared/settings';

/**
 * The content security policy of the window. Scripts only from the app itself. Thumbnails and
 * previews (images, HLS playlists and segments) come from TwelveLabs' storage over https, at
 * presigned addresses on hosts the API does not name in advance, so those directives allow
 * https rather than a guessed list that would break previews; the page holds no key and talks to
 * the API only through main, so nothing secret can leave that way. Loopback (the local emulator)
 * is allowed only for developers. Inline styles are allowed because Svelte transitions and
 * progress widths set `style` attributes.
 */
export function contentSecurityPolicy(options: { readonly developer: boolean }): string {
  const local = options.developer ? ' http://127.0.0.1:* http://localhost:*' : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: https:${local}`,
    `media-src 'self' blob: https:${local}`,
    `connect-src 'self' https:${local}`,
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The main window's options. Every security switch is explicit so a unit test can hold it in place. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 780,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'TwelveLabs Uploader',
    backgroundColor: '#00000000',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Only https links leave the app, and they open in the system browser, never in a window of ours. */
export function isSafeExternalUrl(url: string): boolean {
  // TwelveLabs (the dashboard, the docs) and nothing else: a link in an asset's metadata or a
  // server message must not open an arbitrary site from the app.
  return isTwelveLabsAddress(url);
}
