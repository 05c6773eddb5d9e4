import { fail, ok, type Result } from '../../shared/result';
import type { NetworkStatus } from '../../shared/network';
import type { SettingsStore } from '../settings/settings-store';
import { presentedIssuer } from './diagnose';
import { routeWords } from './proxy';
import { ENVIRONMENT_ROUTES, type NetworkRoutes } from './routes';
import { trustCertificates, type Trust } from './trust';

/**
 * Settings → Network's side in the core: which way requests go and whom they trust, and the
 * company certificate file, which takes effect at once (for every request of this process) and is
 * kept in Settings for the command line too.
 */
export class NetworkSettings {
  readonly #settings: SettingsStore;
  readonly #routes: NetworkRoutes;
  readonly #apiUrl: () => string;
  readonly #changed: () => void;
  #trust: Trust | null;

  constructor(options: {
    readonly settings: SettingsStore;
    readonly routes: NetworkRoutes | undefined;
    /** The API's address now (it may change in Settings). */
    readonly apiUrl: () => string;
    /** What start-up trusted (see `trustCertificates`). */
    readonly trust: Trust | null;
    /** Trust changed: requests held by a certificate problem should try again now. */
    readonly changed: () => void;
  }) {
    this.#settings = options.settings;
    this.#routes = options.routes ?? ENVIRONMENT_ROUTES;
    this.#apiUrl = options.apiUrl;
    this.#trust = options.trust;
    this.#changed = options.changed;
  }

  get trust(): Trust | null {
    return this.#trust;
  }

  /**
   * The route to the API host and who signs the certificate it presents here: a root added to
   * Node's (the system's or the file's) is a company's, so its name says who inspects the traffic.
   */
  async status(): Promise<NetworkStatus> {
    const api = new URL(this.#apiUrl());
    const proxy = await this.#routes.proxyOf(api).catch(() => null);
    const issuer = api.protocol === 'https:' ? await presentedIssuer(api, proxy) : null;
    const company = this.#trust?.added.map((root) => root.subject) ?? [];
    const file = this.#settings.get().certificateFile;
    return {
      route: routeWords(proxy),
      inspectedBy: issuer && company.includes(issuer) ? issuer : null,
      certificateFile: file,
      companyRoots: this.#trust?.added.filter((root) => root.from === file).map((root) => root.subject) ?? [],
      problems: this.#trust?.problems ?? [],
    };
  }

  /** Trusts the roots in `file` (or, with null, no file) from now on; a file with none is refused. */
  async useCertificateFile(file: string | null): Promise<Result<NetworkStatus>> {
    const before = this.#settings.get().certificateFile;
    const trust = await trustCertificates(file ? [file] : []);
    if (trust.problems.length > 0) {
      this.#trust = await trustCertificates(before ? [before] : []);
      return fail('certificate_unreadable', trust.problems.join(' '));
    }
    this.#trust = trust;
    this.#settings.update({ certificateFile: file });
    this.#changed();
    return ok(await this.status());
  }
}
