import type { BrowserWindowConstructorOptions } from 'electron';
import { isTwelveLabsAddress } from '../shared/settings';

/**
 * The content security policy of the window. Scripts only from the app itself; images and media
 * may also come from TwelveLabs over https (thumbnails, HLS) or from the local emulator on
 * loopback, which is why http://127.0.0.1 appears here and nowhere else. Inline styles are allowed
 * because Svelte transitions and progress widths set `style` attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https: http://127.0.0.1:*",
  "media-src 'self' blob: https: http://127.0.0.1:*",
  "connect-src 'self' https: http://127.0.0.1:*",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

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
