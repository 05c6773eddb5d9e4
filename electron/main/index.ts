import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { AppCore } from '../core/app-core';
import { openSecretStore } from '../core/secrets/secret-store';
import { SettingsStore, type SettingsBacking } from '../core/settings/settings-store';
import { registerIpc } from './ipc';
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, mainWindowOptions } from './window-options';

// Tests and second profiles point the app at their own data directory.
if (process.env.TWELVELABS_UPLOADER_DATA_DIR) {
  app.setPath('userData', process.env.TWELVELABS_UPLOADER_DATA_DIR);
}

function rendererUrl(): URL {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return devServer ? new URL(devServer) : pathToFileURL(join(import.meta.dirname, '../renderer/index.html'));
}

/** Navigation, new windows and permission prompts are refused for every web contents we create. */
function lockDown(appOrigin: URL): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const fromApp = details.url.startsWith(appOrigin.origin === 'null' ? 'file:' : appOrigin.origin);
    callback({
      responseHeaders: fromApp
        ? { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
        : details.responseHeaders,
    });
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const appOrigin = rendererUrl();
  lockDown(appOrigin);
  const settings = new SettingsStore(new ElectronStore({ name: 'settings' }) as unknown as SettingsBacking);
  const core = new AppCore({ settings, secrets: await openSecretStore() });

  const window = new BrowserWindow(mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  const unregister = registerIpc(core, window, appOrigin);
  window.once('ready-to-show', () => window.show());
  window.on('closed', unregister);
  await window.loadURL(appOrigin.href);
}

app.on('window-all-closed', () => app.quit());
void start();
