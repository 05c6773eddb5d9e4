import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import { closeApps, serveRenderer } from './app-harness';

/** What a spec's tests share: the built window, and for each test a folder and an emulator. */
export interface E2eSpace {
  /** The built window, served once for the spec. */
  readonly renderer: { readonly url: string };
  /** A folder of the test's own, removed after it. */
  readonly work: string;
  /** The emulator the test talks to: started for each test where the spec says how, else by the test. */
  emulator: RunningEmulator;
  /** Stops something the test started (a second emulator, a link server) once its apps are closed. */
  onClose(close: () => Promise<void>): void;
}

/**
 * The one set-up of the window's specs: serves the built window once, gives each test a folder
 * of its own and, with `emulator`, an emulator started so; after each test closes every app it
 * opened (however it ended), then what it asked to be closed, then the emulator, then the folder.
 */
export function e2eSpace(name: string, options: { readonly emulator?: EmulatorOptions } = {}): E2eSpace {
  let renderer: Awaited<ReturnType<typeof serveRenderer>> | undefined;
  let work: string | undefined;
  let closers: (() => Promise<void>)[] = [];
  const space: E2eSpace = {
    get renderer() {
      return renderer!;
    },
    get work() {
      return work!;
    },
    emulator: undefined as unknown as RunningEmulator,
    onClose: (close) => void closers.push(close),
  };
  test.beforeAll(async () => {
    renderer = await serveRenderer();
  });
  test.afterAll(() => renderer?.close());
  test.beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), `tl-e2e-${name}-`));
    if (options.emulator) space.emulator = await startEmulator(options.emulator);
  });
  test.afterEach(async () => {
    // A request a test held open is let go, so closing the app does not wait on it.
    space.emulator?.setFaults({});
    await closeApps();
    for (const close of closers.reverse()) await close();
    closers = [];
    await space.emulator?.close();
    space.emulator = undefined as unknown as RunningEmulator;
    await rm(work!, { recursive: true, force: true });
  });
  return space;
}
