import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  Menu,
  nativeImage,
  Notification,
  powerMonitor,
  powerSaveBlocker,
  protocol,
  session,
  shell,
  Tray,
} from 'electron';
import ElectronStore from 'electron-store';
import { openAppServices, type AppServices, type AppServicesOptions } from '../core/root/app-services';
import { QueueOwned } from '../core/queue/lock';
import { KEYCHAIN_SERVICE, openSecretStore, PROXY_LOGIN_ACCOUNT } from '../core/secrets/secret-store';
import { reportStartupFailure } from '../core/root/startup-failure';
import { trustCertificates } from '../core/network/trust';
import { chromiumProxyConfig, readProxyLogin, ResolvedRoutes } from '../core/network/routes';
import { feedNamesPublisher, updatesOffReason } from '../core/update/policy';
import { SettingsStore, type SettingsBacking } from '../core/settings/settings-store';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol';
import { BatchTracker, confirmQuit } from './batch-tracker';
import { heldBack } from '../shared/words';
import { COMMAND_LINK, installCommandLineTool } from './command-line-tool';
import { registerIpc } from './ipc';
import { launchPolicy } from './launch';
import { githubUpdater } from './updater';
import { applicationMenu } from './menu';
import { counted, formatList, m } from '../shared/i18n';
import { contentSecurityPolicy, isSafeExternalUrl, mainWindowOptions } from './window-options';

const launch = launchPolicy({ packaged: app.isPackaged, env: process.env, argv: process.argv });
const policy = contentSecurityPolicy({ developer: launch.developer });
// Tests and second profiles point the app at their own data directory.
if (launch.dataDir) app.setPath('userData', launch.dataDir);
// Must be said before the app is ready: the page's own scheme, with the rights of https.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const resources = join(import.meta.dirname, '../../resources');

/** Navigation, new windows, webviews and permission prompts are refused for every web contents. */
function lockDown(appUrl: URL): void {
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
  if (appUrl.protocol === `${APP_SCHEME}:`) {
    protocol.handle(APP_SCHEME, appProtocolHandler(join(import.meta.dirname, '../renderer'), policy));
    return;
  }
  // The dev server's page (from source only) gets the same policy as a header.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: details.url.startsWith(appUrl.origin)
        ? { ...details.responseHeaders, 'Content-Security-Policy': [policy] }
        : (details.responseHeaders ?? {}),
    });
  });
}

let services: AppServices | undefined;
let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let quitting = false;
let toldAboutTray = false;

function showWindow(): void {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/**
 * Opens the services, waiting while a command-line upload owns the queue: it is asked once whether
 * to wait (the app opens by itself when the other process is done) or quit.
 */
async function openWhenQueueFree(options: AppServicesOptions): Promise<AppServices> {
  let asked = false;
  for (;;) {
    try {
      return await openAppServices(options);
    } catch (error) {
      if (!(error instanceof QueueOwned)) throw error;
      if (!asked) {
        asked = true;
        const { response } = await dialog.showMessageBox({
          type: 'info',
          buttons: [m.dialog_wait(), m.action_quit()],
          defaultId: 0,
          cancelId: 1,
          message: m.dialog_cli_owns(),
          detail: `${m.dialog_cli_owns_detail()}${error.owner ? ` (pid ${error.owner.pid})` : ''}`,
        });
        if (response === 1) {
          app.exit(0);
          throw error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

/** Start-up never dies silently: the reason, where the log is, and Quit. */
async function startupFailed(error: unknown): Promise<void> {
  const { title, detail } = await reportStartupFailure(error, app.getPath('userData'), services?.logger);
  dialog.showErrorBox(title, detail);
  app.exit(1);
}

async function start(): Promise<void> {
  await app.whenReady();
  if (launch.refused.length > 0) {
    dialog.showErrorBox(m.start_switches_title(), m.start_switches_detail({ switches: formatList(launch.refused) }));
    app.exit(1);
    return;
  }
  const appOrigin = new URL(launch.rendererUrl);
  lockDown(appOrigin);
  // Settings → Network is read before anything is sent: the engine starts as the queue opens.
  const settingsBacking = () => new ElectronStore({ name: 'settings' }) as unknown as SettingsBacking;
  let network: Pick<Settings, 'proxy' | 'certificateFile'> = DEFAULT_SETTINGS;
  try {
    network = new SettingsStore(settingsBacking()).get();
  } catch {
    // A damaged settings file: the core sets it aside (and says so) as it opens; defaults meanwhile.
  }
  // The engine's requests trust what the window's do: the system's store, where IT installs the
  // root that re-signs inspected traffic (the packaged app ignores NODE_EXTRA_CA_CERTS), and the
  // certificate file chosen in Settings.
  const trust = await trustCertificates(network.certificateFile ? [network.certificateFile] : []);
  // The engine's requests go the way the window's do: Chromium resolves each (the system's proxy
  // settings, PAC or WPAD, or what Settings → Network chose), with the proxy's login from the
  // keychain when it asks for one.
  await session.defaultSession.setProxy(chromiumProxyConfig(network.proxy));
  const proxyLogins = await openSecretStore(KEYCHAIN_SERVICE, PROXY_LOGIN_ACCOUNT);
  const proxyLogin = async () => readProxyLogin(await proxyLogins.get().catch(() => null));
  const routes = new ResolvedRoutes((url) => session.defaultSession.resolveProxy(url), proxyLogin);
  // The window's own requests (thumbnails, previews, the updater) answer a proxy's login the same way.
  app.on('login', (event, _contents, _details, authInfo, callback) => {
    if (!authInfo.isProxy) return;
    event.preventDefault();
    void proxyLogin().then((login) => (login ? callback(login.user, login.password) : callback()));
  });
  // A laptop that slept may wake on another network, with another proxy.
  powerMonitor.on('resume', () => routes.flush());
  const dataDir = app.getPath('userData');
  const updatesOff = updatesOffReason({
    packaged: app.isPackaged,
    platform: process.platform,
    appImage: Boolean(process.env.APPIMAGE),
    signedFeed: await feedNamesPublisher(),
  });
  services = await openWhenQueueFree({
    dataDir,
    settingsBacking,
    systemLocale: { languages: app.getPreferredSystemLanguages(), region: app.getSystemLocale() },
    secrets: await openSecretStore(),
    dialogs: {
      async pickFiles() {
        const result = await dialog.showOpenDialog(window!, {
          title: m.dialog_add_files(),
          properties: ['openFile', 'multiSelections'],
          filters: [
            {
              name: m.dialog_media(),
              extensions: [
                ...['mp4', 'mov', 'mkv', 'webm', 'avi', 'mp3', 'wav', 'flac', 'm4a', 'jpg', 'jpeg', 'png'],
                ...['pdf', 'txt', 'md'],
              ],
            },
            { name: m.dialog_all_files(), extensions: ['*'] },
          ],
        });
        return result.canceled ? [] : result.filePaths;
      },
      async pickFolder() {
        const result = await dialog.showOpenDialog(window!, {
          title: m.dialog_add_folder(),
          properties: ['openDirectory', 'multiSelections'],
        });
        return result.canceled ? [] : result.filePaths;
      },
      async pickLinkList() {
        const result = await dialog.showOpenDialog(window!, {
          title: m.dialog_link_list(),
          properties: ['openFile'],
          filters: [
            { name: m.dialog_link_lists(), extensions: ['txt', 'csv'] },
            { name: m.dialog_all_files(), extensions: ['*'] },
          ],
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async confirmAddress(host) {
        const { response } = await dialog.showMessageBox(window!, {
          type: 'warning',
          buttons: [m.action_cancel(), m.dialog_use_host({ host })],
          defaultId: 0,
          cancelId: 0,
          message: m.dialog_send_to_host({ host }),
          detail: m.dialog_send_to_host_detail(),
        });
        return response === 1;
      },
      async pickCertificate() {
        const result = await dialog.showOpenDialog(window!, {
          title: m.dialog_certificate(),
          properties: ['openFile'],
          filters: [
            { name: m.dialog_certificates(), extensions: ['pem', 'crt', 'cer'] },
            { name: m.dialog_all_files(), extensions: ['*'] },
          ],
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async saveFile(suggestedName) {
        const extension = suggestedName.split('.').pop() ?? '';
        const result = await dialog.showSaveDialog(window!, {
          title: m.dialog_export(),
          defaultPath: join(app.getPath('documents'), suggestedName),
          filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
        });
        return result.canceled || !result.filePath ? null : result.filePath;
      },
    },
    // Loopback and other addresses are for development: from source only.
    developer: launch.developer,
    updater: {
      updater: updatesOff ? null : githubUpdater((message) => void services?.logger.info(`updater: ${message}`)),
      offReason: updatesOff ?? 'source',
    },
    trust,
    routes,
    proxyLogin: { store: proxyLogins, changed: () => routes.flush() },
    reveal: (path) => shell.showItemInFolder(path),
    copyText: (text) => clipboard.writeText(text),
    environment: {
      app: app.getVersion(),
      electron: process.versions.electron ?? '',
      chrome: process.versions.chrome ?? '',
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
    },
  });
  const { contract, engine, gate, settings, logger } = services;
  void logger.info(`started ${app.getVersion()}`);
  if (trust.added.length > 0) {
    const names = trust.added.map((root) => root.subject).join('; ');
    void logger.info(`trusting ${trust.added.length} roots from the system store beyond Node's own: ${names}`);
  }
  process.on('unhandledRejection', (error) => void logger.error('unhandled rejection', error));
  process.on('uncaughtException', (error) => void logger.error('uncaught exception', error));
  if (services.notices.length > 0) {
    void dialog.showMessageBox({
      type: 'warning',
      message: m.dialog_repaired(),
      detail: services.notices.join('\n\n'),
    });
  }
  app.setLoginItemSettings({ openAtLogin: settings.get().startAtLogin });
  settings.on('change', (next) => app.setLoginItemSettings({ openAtLogin: next.startAtLogin }));
  // A connection lost or blocked may mean another network (a dock, a VPN): the proxy is asked again.
  gate.on('change', (state) => {
    if (state.kind === 'offline' || state.kind === 'blocked') routes.flush();
  });
  // A proxy chosen in Settings → Network applies at once, to the window and the engine alike.
  let proxyInForce = network.proxy;
  settings.on('change', (next) => {
    if (isDeepStrictEqual(next.proxy, proxyInForce)) return;
    proxyInForce = next.proxy;
    void session.defaultSession
      .setProxy(chromiumProxyConfig(next.proxy))
      .then(() => {
        routes.flush();
        gate.retryNow();
      })
      .catch((error: unknown) => logger.error('proxy setting not applied', error));
  });

  window = new BrowserWindow({
    ...mainWindowOptions(join(import.meta.dirname, '../preload/index.cjs')),
    icon: join(resources, 'icon.png'),
  });
  const unregister = registerIpc(contract, window, appOrigin);
  window.once('ready-to-show', () => window?.show());
  // Closing the window keeps uploads going in the tray; the first time, say so.
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window?.hide();
    if (!toldAboutTray && engine.totals().files > engine.totals().filesDone + engine.totals().filesFailed) {
      toldAboutTray = true;
      new Notification({
        title: m.tray_still_uploading(),
        body: m.tray_still_uploading_body(),
      }).show();
    }
  });
  window.on('closed', () => {
    unregister();
    window = undefined;
  });

  tray = new Tray(nativeImage.createFromPath(join(resources, 'tray.png')));
  // The menu opens with the same words as the tooltip, the status bar and the notification.
  const trayMenu = (status: string) =>
    Menu.buildFromTemplate([
      ...(status ? [{ label: status, enabled: false }, { type: 'separator' as const }] : []),
      { label: m.tray_show_window(), click: showWindow },
      { label: m.action_pause_all(), click: () => void engine.pause('all') },
      { label: m.action_resume_all(), click: () => void engine.resume('all') },
      { type: 'separator' },
      { label: m.action_quit(), click: () => app.quit() },
    ]);
  tray.setContextMenu(trayMenu(''));
  let trayText = '';
  let trayTimer: NodeJS.Timeout | undefined;
  tray.on('click', showWindow);

  let sleepBlocker: number | null = null;
  const tracker = new BatchTracker(
    {
      setProgress: (fraction) => window?.setProgressBar(fraction),
      setTooltip: (text) => {
        tray?.setToolTip(text);
        // The menu is rebuilt at most once a second (the figures move four times a second), the
        // latest words last, so the menu never keeps a figure the tooltip has moved past.
        trayText = text;
        trayTimer ??= setTimeout(() => {
          trayTimer = undefined;
          tray?.setContextMenu(trayMenu(trayText.replace(/^TwelveLabs Uploader\s?: /, '')));
        }, 1000);
      },
      notify: (title, body) => {
        const notification = new Notification({ title, body });
        // Clicking it opens the window on the batch's summary.
        notification.on('click', () => {
          showWindow();
          contract.showUploads();
        });
        notification.show();
      },
      preventSleep: (prevent) => {
        if (prevent && sleepBlocker === null) sleepBlocker = powerSaveBlocker.start('prevent-app-suspension');
        if (!prevent && sleepBlocker !== null) {
          powerSaveBlocker.stop(sleepBlocker);
          sleepBlocker = null;
        }
      },
    },
    () => settings.get(),
  );
  // The tray says why uploads are held, as the window does.
  const held = () => heldBack(gate.state);
  engine.on('change', (change) => tracker.update(change.totals, held()));
  gate.on('change', () => tracker.update(engine.totals(), held()));
  tracker.update(engine.totals(), held());

  const setMenu = () =>
    Menu.setApplicationMenu(
      applicationMenu({
        addFiles: () => void contract.handlers['uploads:pick-files'](),
        addFolder: () => void contract.handlers['uploads:pick-folder'](),
        installCommandLineTool: () =>
          void installCommandLineTool(process.execPath).then(
            () =>
              dialog.showMessageBox({
                message: m.cli_installed(),
                detail: m.cli_installed_detail({ link: COMMAND_LINK }),
              }),
            (error: unknown) => dialog.showErrorBox(m.cli_not_installed(), String(error)),
          ),
      }),
    );
  setMenu();
  // A language chosen in Settings reaches the menus and the tray at once, as it does the window.
  let language = settings.get().language;
  settings.on('change', (next) => {
    if (next.language === language) return;
    language = next.language;
    setMenu();
    tray?.setContextMenu(trayMenu(''));
    tracker.update(engine.totals(), held());
  });

  await window.loadURL(appOrigin.href);
}

// One instance owns the queue: a second launch focuses the first and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    // The tray keeps the app alive; quitting is explicit.
  });
  app.on('before-quit', (event) => {
    if (quitting || !services) return;
    event.preventDefault();
    const { engine } = services;
    const uploading = engine.countIn(['uploading', 'queued']);
    void confirmQuit({
      uploading,
      ask: async (count) => {
        const { response } = await dialog.showMessageBox({
          type: 'question',
          buttons: [m.quit_keep_uploading(), m.action_quit()],
          defaultId: 0,
          cancelId: 0,
          message: m.quit_question(counted(count)),
          detail: m.quit_detail(),
        });
        return response === 1;
      },
      flush: () => services!.close(),
      onFlushFailed: (error) =>
        void services?.logger.error('Quit: uploads could not be stopped cleanly; quitting anyway', error),
    }).then((quit) => {
      if (!quit) return;
      quitting = true;
      app.quit();
    });
  });
  void start().catch(startupFailed);
}
