import type { ConnectionCheck, NetworkStatus } from '../../../electron/shared/network';
import type { IndexSummary } from '../../../electron/shared/indexes';
import type { Result } from '../../../electron/shared/result';
import type { SessionState } from '../../../electron/shared/session';
import type { Settings, SettingsPatch } from '../../../electron/shared/settings';
import type { FfmpegFound } from '../../../electron/shared/upload-copy';
import type { BridgeApi } from '../../../electron/shared/ipc-contract';

/** Settings as stored in main; every change goes through main's validation. */
export class SettingsModel {
  readonly #api: BridgeApi;

  constructor(api: BridgeApi) {
    this.#api = api;
  }

  #values = $state<Settings | null>(null);
  #error = $state<string | null>(null);
  /** Refusals of one setting, said next to its field until it is saved. */
  #fieldErrors = $state<Readonly<Record<string, string>>>({});

  get values(): Settings | null {
    return this.#values;
  }

  /** The last rejection from main that is not about one field; cleared by the next successful save. */
  get error(): string | null {
    return this.#error;
  }

  /** Why the last value typed into `key` was refused, or null. */
  errorFor(key: string): string | null {
    return this.#fieldErrors[key] ?? null;
  }

  /** The person is changing the field a refusal was about: it is no longer said. */
  clearFieldError(key: string): void {
    if (key in this.#fieldErrors)
      this.#fieldErrors = Object.fromEntries(Object.entries(this.#fieldErrors).filter(([field]) => field !== key));
  }

  start(): () => void {
    const unsubscribe = this.#api.onSettingsChanged((next) => {
      this.#values = next;
    });
    void this.#api.settingsGet().then((result) => {
      if (result.ok) this.#values = result.value;
      else this.#error = result.message;
    });
    return unsubscribe;
  }

  /** The FFmpeg upload copies are made with, or null when this computer has none. */
  async ffmpeg(): Promise<FfmpegFound | null> {
    const result = await this.#api.settingsFfmpeg();
    return result.ok ? result.value : null;
  }

  /** Main asks the person before the API address changes; the answer is the session after it. */
  changeAddress(address: string): Promise<Result<SessionState>> {
    return this.#api.settingsChangeApiAddress(address);
  }

  /** Checks the way to TwelveLabs (see `network:check`); the failure's words when it could not run. */
  async checkConnection(): Promise<Result<ConnectionCheck>> {
    return this.#api.networkCheck();
  }

  /** The indexes uploads can go into (see `indexes:list`). */
  indexes(): Promise<Result<IndexSummary[]>> {
    return this.#api.indexesList();
  }

  /** Makes an index for search; the words of a refusal (a name taken) come back as the failure. */
  createIndex(request: {
    name: string;
    visual: boolean;
    audio: boolean;
    thumbnails: boolean;
  }): Promise<Result<IndexSummary>> {
    return this.#api.indexesCreate(request);
  }

  /** Which way requests go now and who re-signs them (see `network:status`). */
  networkStatus(): Promise<Result<NetworkStatus>> {
    return this.#api.networkStatus();
  }

  /** Asks for a company's root certificate file and trusts it; null when the person cancelled. */
  chooseCertificate(): Promise<Result<NetworkStatus | null>> {
    return this.#api.networkChooseCertificate();
  }

  forgetCertificate(): Promise<Result<NetworkStatus>> {
    return this.#api.networkForgetCertificate();
  }

  /** Keeps the proxy's login in the keychain (null forgets it); the words of a failure, or null. */
  async setProxyLogin(login: { user: string; password: string } | null): Promise<string | null> {
    const result = await this.#api.networkSetProxyLogin(login);
    return result.ok ? null : result.message;
  }

  /** The connection check's report on the clipboard, for IT; it holds nothing secret. */
  async copyReport(check: ConnectionCheck): Promise<boolean> {
    return (await this.#api.appCopyText(check.report)).ok;
  }

  /** Versions, settings and recent problems on the clipboard, for support; never the key. */
  async copyDiagnostics(): Promise<boolean> {
    return (await this.#api.appCopyDiagnostics()).ok;
  }

  async update(patch: Omit<SettingsPatch, 'apiBaseUrl' | 'watchedFolders' | 'certificateFile'>): Promise<boolean> {
    const result = await this.#api.settingsUpdate(patch);
    // A refusal is said by the field it is about, which may be inside a setting (the proxy's address).
    const keys = Object.entries(patch).flatMap(([key, value]) => [
      key,
      ...(value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []),
    ]);
    if (result.ok) {
      this.#values = result.value;
      this.#error = null;
      this.#fieldErrors = Object.fromEntries(Object.entries(this.#fieldErrors).filter(([key]) => !keys.includes(key)));
    } else if (result.field !== undefined) {
      this.#fieldErrors = { ...this.#fieldErrors, [result.field]: result.message };
    } else {
      this.#error = result.message;
    }
    return result.ok;
  }
}
