import type { BridgeApi } from '../../../electron/shared/ipc-contract';
import { api } from './bridge';
import { LibraryModel } from './library.svelte';
import { SessionModel } from './session.svelte';
import { SettingsModel } from './settings.svelte';
import { UpdatesModel } from './updates.svelte';
import { UploadsModel } from './uploads.svelte';
import { WatchModel } from './watch.svelte';

/** The window's models, each over the bridge to main: the preload's, or a test's own. */
export function openModels(bridge: BridgeApi = api) {
  return {
    session: new SessionModel(bridge),
    settings: new SettingsModel(bridge),
    uploads: new UploadsModel(bridge),
    library: new LibraryModel(bridge),
    updates: new UpdatesModel(bridge),
    watch: new WatchModel(bridge),
  };
}
