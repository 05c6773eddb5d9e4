import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { UpdateInfo } from '../../electron/shared/updates';
import { openTestApp } from '../helpers/app';
import { useEmulator } from '../helpers/emulator';
import { randomFile } from '../helpers/engine';
import { fakeUpdater } from '../helpers/fake-updater';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';
import { closeAfter } from '../helpers/cleanup';

const KiB = 1024;

describe('updating the app', () => {
  const emulator = useEmulator({ chunkSize: 64 * KiB, faults: { chunks: { bandwidthBytesPerSecond: 512 * KiB } } });

  it('never restarts while files upload: "Restart to update" waits for the queue, then installs once', async () => {
    const updater = fakeUpdater([
      [
        { kind: 'progress', version: '1.2.0', percent: 50 },
        { kind: 'downloaded', version: '1.2.0' },
      ],
    ]);
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current, updater }));
    await app.secrets.set(emulator.current.apiKey);
    const seen: UpdateInfo[] = [];
    app.contract.events.on('updates:changed', (info) => seen.push(info));
    expect((await app.contract.handlers['updates:get']()).ok).toBe(true);

    const checked = await app.contract.handlers['updates:check']();
    expect(checked.ok && checked.value.state).toEqual({ kind: 'ready', version: '1.2.0' });
    expect(seen.map((info) => info.state.kind)).toEqual(['checking', 'downloading', 'ready']);

    const path = await randomFile(await tempDir(), 'clip.mp4', 2048 * KiB);
    await app.contract.handlers['uploads:add-dropped']([path]);
    await until(async () => (await app.engine.items()).some((item) => item.status.kind === 'uploading'));
    const asked = await app.contract.handlers['updates:restart']();
    expect(asked.ok && asked.value.state).toEqual({ kind: 'waiting-for-uploads', version: '1.2.0' });
    expect(updater.installs).toBe(0);

    await app.engine.whenIdle();
    await until(() => updater.installs === 1);
    const [item] = await app.engine.items();
    expect(item?.status.kind === 'processing' || item?.status.kind === 'ready').toBe(true);
    expect(item?.size).toBe((await stat(path)).size);
    // Asked again after it went: nothing more.
    await app.contract.handlers['updates:restart']();
    expect(updater.installs).toBe(1);
  });

  it('installs at once when nothing is uploading, and says when it is up to date', async () => {
    const updater = fakeUpdater([[], [{ kind: 'downloaded', version: '1.3.0' }]]);
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current, updater }));
    const first = await app.contract.handlers['updates:check']();
    expect(first.ok && first.value.state.kind).toBe('idle');
    await app.contract.handlers['updates:check']();
    await app.contract.handlers['updates:restart']();
    expect(updater.installs).toBe(1);
  });

  it('is off from source, in words, and a check does nothing', async () => {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    const info = await app.contract.handlers['updates:check']();
    expect(info.ok && info.value).toEqual({
      current: 'test',
      state: { kind: 'off', reason: 'source' },
    });
  });
});
