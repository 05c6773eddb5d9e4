import { APP_URL } from './app-protocol';

/** What this start of the app may honour from its environment and command line. */
export interface LaunchPolicy {
  /** Running from source: other API addresses and loopback allowed. */
  readonly developer: boolean;
  /** The page to load: the built renderer, or (from source only) the dev server's. */
  readonly rendererUrl: string;
  /** Another data folder (tests, second profiles), from source only. */
  readonly dataDir: string | null;
  /** Switches a released build refuses to start with: every one not on `RELEASE_SWITCHES`. */
  readonly refused: readonly string[];
}

/**
 * The only switches a released build starts with: the interface language, the keyring to use on
 * Linux, and display and GPU choices for machines whose drivers need them. Anything else is
 * refused, because Chromium's switches reach much further than they look: `--remote-debugging-port`
 * and `--inspect` hand the process to a debugger, `--host-resolver-rules` and `--host-rules`
 * send the API's name to another machine, `--ignore-certificate-errors` trusts any certificate.
 */
const RELEASE_SWITCHES = new Set([
  '--lang',
  '--password-store',
  '--ozone-platform',
  '--ozone-platform-hint',
  '--enable-wayland-ime',
  '--disable-gpu',
  '--disable-gpu-compositing',
  '--force-device-scale-factor',
  '--high-dpi-support',
  '--gtk-version',
]);

/**
 * Development conveniences (a dev server page, another data folder, any switch) are honoured only
 * in development: in a released build each of them would let anyone who can start the app with an
 * argument or a variable read the key out of its memory or drive its window. No variable turns
 * them back on in a released build.
 */
export function launchPolicy(options: {
  readonly packaged: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
}): LaunchPolicy {
  const { packaged, env, argv } = options;
  const developer = !packaged;
  const switches = argv.slice(1).filter((arg) => arg.startsWith('--'));
  // The AppImage's own launcher adds --no-sandbox where the system allows no user namespaces
  // (electron-builder's AppRun); anywhere else it is refused like any other switch.
  const allowed = (name: string) => RELEASE_SWITCHES.has(name) || (name === '--no-sandbox' && Boolean(env.APPIMAGE));
  return {
    developer,
    rendererUrl: developer && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : APP_URL,
    dataDir: developer ? (env.TWELVELABS_UPLOADER_DATA_DIR ?? null) : null,
    refused: developer ? [] : switches.map((arg) => arg.split('=')[0]!).filter((name) => !allowed(name)),
  };
}
