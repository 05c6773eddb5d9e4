import { describe, expect, it, vi } from 'vitest';
import {
  createBridgeApi,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  listenerName,
  methodName,
} from '../../../electron/shared/ipc-contract';
import { INVOKE_ARG_SCHEMAS } from '../../../electron/shared/ipc-schemas';

describe('the IPC contract', () => {
  it('names each capability after its channel', () => {
    expect(methodName('session:state')).toBe('sessionState');
    expect(methodName('uploads:pick-files')).toBe('uploadsPickFiles');
    expect(listenerName('uploads:changed')).toBe('onUploadsChanged');
  });

  it('has an argument schema for every invoke channel and nothing else', () => {
    expect(Object.keys(INVOKE_ARG_SCHEMAS).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('exposes one function per channel and no transport to the page; drops carry only real paths', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: 'done' }));
    const unsubscribe = vi.fn();
    const subscribe = vi.fn(() => unsubscribe);
    const paths = new Map<object, string>();
    const api = createBridgeApi({ invoke, subscribe, pathForFile: (file) => paths.get(file) ?? '' });

    expect(Object.keys(api).sort()).toEqual(
      [...INVOKE_CHANNELS.map(methodName), ...EVENT_CHANNELS.map(listenerName)].sort(),
    );
    expect(Object.isFrozen(api)).toBe(true);

    await api.settingsUpdate({ filesInFlight: 2 });
    expect(invoke).toHaveBeenCalledWith('settings:update', [{ filesInFlight: 2 }]);

    const dropped = {};
    paths.set(dropped, '/Users/kim/Footage/clip.mov');
    await api.uploadsAddDropped([dropped, { forged: '/etc/passwd' }]);
    expect(invoke).toHaveBeenLastCalledWith('uploads:add-dropped', [['/Users/kim/Footage/clip.mov']]);

    const listener = vi.fn();
    const stop = api.onSessionChanged(listener);
    expect(subscribe).toHaveBeenCalledWith('session:changed', listener);
    stop();
    expect(unsubscribe).toHaveBeenCalledOnce();
  });
});
