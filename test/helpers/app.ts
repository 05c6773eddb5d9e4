import Conf from 'conf';
import type { AppServices, AppServicesOptions } from '../../electron/core/root/app-services';
import { openAppServices } from '../../electron/core/root/app-services';
import { MemorySecretStore, type SecretStore } from '../../electron/core/secrets/secret-store';
import type { SettingsBacking } from '../../electron/core/settings/settings-store';
import type { Updater } from '../../electron/core/update/updates';
import type { RunningEmulator } from '../emulator/server';

/**
 * The app's services as the window gets them, on a temp data dir: real settings file, real journal,
 * real engine, pointed at the emulator when given. Only the native dialogs are prepared paths.
 */
export async function openTestApp(
  dataDir: string,
  options: {
    emulator?: RunningEmulator;
    secrets?: SecretStore;
    pick?: {
      files?: string[];
      folder?: string[];
      linkList?: string | null;
      certificate?: string | null;
      saveTo?: string | null;
      /** The answer to "Send uploads to this host?"; yes unless given. */
      confirmAddress?: boolean;
    };
    developer?: boolean;
    /** The app's updater; none (as from source) unless given. */
    updater?: Updater;
    /** The engine's memory: waiting files held (the line's front) and how often the rest are let go. */
    memory?: Partial<Pick<NonNullable<AppServicesOptions['engine']>, 'holdQueued' | 'letGoMs'>>;
  } & Partial<Pick<AppServicesOptions, 'reveal' | 'routes' | 'proxyLogin' | 'gate' | 'systemLocale' | 'limits'>> = {},
): Promise<AppServices & { revealed: string[]; clipboard: string[] }> {
  const { emulator } = options;
  const backing = () => {
    const store = new Conf({
      cwd: dataDir,
      configName: 'settings',
      projectName: 'twelvelabs-uploader-test',
    }) as unknown as SettingsBacking;
    if (emulator) store.store = { ...store.store, apiBaseUrl: emulator.baseUrl };
    return store;
  };
  const secrets = options.secrets ?? new MemorySecretStore();
  const revealed: string[] = [];
  const clipboard: string[] = [];
  const services = await openAppServices({
    dataDir,
    settingsBacking: backing,
    secrets,
    dialogs: {
      pickFiles: async () => options.pick?.files ?? [],
      pickFolder: async () => options.pick?.folder ?? [],
      pickLinkList: async () => options.pick?.linkList ?? null,
      pickCertificate: async () => options.pick?.certificate ?? null,
      confirmAddress: async () => options.pick?.confirmAddress ?? true,
      saveFile: async () => options.pick?.saveTo ?? null,
    },
    reveal: options.reveal ?? ((path) => revealed.push(path)),
    copyText: (text) => clipboard.push(text),
    environment: { app: 'test', node: process.versions.node, platform: process.platform },
    // A system that prefers American English, whatever the machine running the tests says.
    systemLocale: options.systemLocale ?? { languages: ['en-US'], region: 'en-US' },
    ...(options.developer !== undefined && { developer: options.developer }),
    ...(options.updater && { updater: { updater: options.updater, offReason: 'source' } }),
    ...(options.routes && { routes: options.routes }),
    ...(options.proxyLogin && { proxyLogin: options.proxyLogin }),
    ...(options.gate && { gate: options.gate }),
    ...(options.limits && { limits: options.limits }),
    // Watched files count as complete after 300 ms unchanged, not 10 s.
    watch: { settleMs: 300, pollMs: 200 },
    engine: {
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
      pollIntervalMs: 50,
      pollMaxMs: 200,
      indexPollMs: 50,
      indexPollMaxMs: 200,
      eventIntervalMs: 50,
      ...options.memory,
    },
  });
  // `services.secrets` is the store seen through the current address: a key set there belongs to it.
  return Object.assign(services, { revealed, clipboard });
}
