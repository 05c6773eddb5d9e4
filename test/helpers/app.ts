import Conf from 'conf';
import type { AppServices, AppServicesOptions } from '../../electron/core/app-services';
import { openAppServices } from '../../electron/core/app-services';
import { MemorySecretStore, type SecretStore } from '../../electron/core/secrets/secret-store';
import type { SettingsBacking } from '../../electron/core/settings/settings-store';
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
    pick?: { files?: string[]; folder?: string[]; linkList?: string | null; saveTo?: string | null };
  } & Partial<Pick<AppServicesOptions, 'reveal'>> = {},
): Promise<AppServices & { secrets: SecretStore; revealed: string[]; clipboard: string[] }> {
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
      saveFile: async () => options.pick?.saveTo ?? null,
    },
    reveal: options.reveal ?? ((path) => revealed.push(path)),
    copyText: (text) => clipboard.push(text),
    environment: { app: 'test', node: process.versions.node, platform: process.platform },
    engine: {
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 100 },
      pollIntervalMs: 50,
      pollMaxMs: 200,
      eventIntervalMs: 50,
    },
  });
  return Object.assign(services, { secrets, revealed, clipboard });
}
