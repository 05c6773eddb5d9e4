import { APP_URL } from './app-protocol';

/** What this start of the app may honour from its environment and command line. */
export interface LaunchPolicy {
  /** Running from source, or with the developer switch: other API addresses and loopback allowed. */
  readonly developer: boolean;
  /** The page to load: the built renderer, or (from source only) the dev server's. */
  readonly rendererUrl: string;
  /** Another data folder (tests, second profiles), for developers only. */
  readonly dataDir: string | null;
  /** Debugging switches a released build refuses to start with. */
  readonly refused: readonly string[];
}

/** Switches that open the process to a debugger: the inspector, remote DevTools, V8 flags. */
const DEBUG_SWITCH =
  /^--(inspect(-brk|-port|-publish-uid)?|remote-debugging-(port|pipe|address)|remote-allow-origins|js-flags)(=|$)/;

/**
 * Development conveniences (a dev server page, another data folder, debugger switches) are
 * honoured only in development: in a released build each of them would let anyone who can start
 * the app with an argument or a variable read the key out of its memory or drive its window.
 */
export function launchPolicy(options: {
  readonly packaged: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly argv: readonly string[];
}): LaunchPolicy {
  const { packaged, env, argv } = options;
  const developer = !packaged || env.TWELVELABS_UPLOADER_DEVELOPER === '1';
  return {
    developer,
    rendererUrl: !packaged && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : APP_URL,
    dataDir: developer ? (env.TWELVELABS_UPLOADER_DATA_DIR ?? null) : null,
    refused: developer ? [] : argv.filter((arg) => DEBUG_SWITCH.test(arg)).map((arg) => arg.split('=')[0]!),
  };
}
