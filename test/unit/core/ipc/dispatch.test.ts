import { describe, expect, it, vi } from 'vitest';
import { dispatchInvoke } from '../../../../electron/core/ipc/dispatch';
import { INVOKE_CHANNELS, type ContractHandlers } from '../../../../electron/shared/ipc-contract';
import { DEFAULT_API_BASE_URL, DEFAULT_SETTINGS } from '../../../../electron/shared/settings';

/** Every channel answers `null` unless overridden; the settings ones echo like the real core. */
function handlers(overrides: Partial<ContractHandlers> = {}): ContractHandlers {
  const all = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [channel, vi.fn(async () => ({ ok: true as const, value: null }))]),
  );
  return {
    ...all,
    'settings:get': vi.fn(async () => ({ ok: true as const, value: DEFAULT_SETTINGS })),
    'settings:update': vi.fn(async (patch) => ({ ok: true as const, value: { ...DEFAULT_SETTINGS, ...patch } })),
    ...overrides,
  } as ContractHandlers;
}

describe('dispatching a call from the page', () => {
  it('runs the handler with validated arguments', async () => {
    const h = handlers();
    const result = await dispatchInvoke(h, 'settings:update', [{ filesInFlight: 4 }]);
    expect(result).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, filesInFlight: 4 } });
    expect(h['settings:update']).toHaveBeenCalledWith({ filesInFlight: 4 });
  });

  it.each([
    ['a wrong type', [{ filesInFlight: 'lots' }]],
    ['an out-of-range number', [{ filesInFlight: 0 }]],
    ['an unknown key', [{ uploadEverythingTwice: true }]],
    ['a missing argument', []],
    ['an extra argument', [{ filesInFlight: 2 }, 'surplus']],
    ['arguments that are not a list', { filesInFlight: 2 }],
    ['the API address (only its own channel, which asks first, changes it)', [{ apiBaseUrl: DEFAULT_API_BASE_URL }]],
  ])('refuses %s without calling the handler', async (_name, args) => {
    const h = handlers();
    const result = await dispatchInvoke(h, 'settings:update', args);
    expect(result).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect(h['settings:update']).not.toHaveBeenCalled();
  });

  it('explains a rejected value in words', async () => {
    const result = await dispatchInvoke(handlers(), 'settings:update', [{ filesInFlight: 99 }]);
    expect(result).toEqual({
      ok: false,
      code: 'invalid_argument',
      message: 'Choose 1 to 16 files at a time.',
      field: 'filesInFlight',
    });
  });

  it.each([['no:such-channel'], ['__proto__'], ['constructor'], [42], [null]])(
    'refuses the unknown channel %s',
    async (channel) => {
      expect(await dispatchInvoke(handlers(), channel, [])).toMatchObject({ ok: false, code: 'unknown_channel' });
    },
  );

  it.each([
    ['uploads:pause', ['everything'], 'a selection that is neither "all" nor ids'],
    ['uploads:pause', [['../../etc/passwd']], 'an id that is not an item id'],
    ['uploads:remove', ['all'], '"all" where only ids are allowed'],
    ['uploads:add-dropped', [[]], 'an empty drop'],
    ['uploads:add-dropped', [[42]], 'a path that is not text'],
    ['uploads:add-dropped', [['clip.mov']], 'a relative path'],
    ['uploads:add-dropped', [['../../etc/passwd']], 'a path that climbs from the working folder'],
    ['uploads:add-dropped', [['/tmp/a\0b']], 'a path with a NUL'],
    ['secrets:set-api-key', ['   '], 'a blank key'],
    ['secrets:set-api-key', ['k'.repeat(600)], 'a key too long to be one'],
    ['uploads:reveal', [123], 'a numeric id'],
  ])('refuses %s with %j (%s)', async (channel: string, args: unknown[], _why: string) => {
    const h = handlers();
    expect(await dispatchInvoke(h, channel, args)).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect(h[channel as keyof ContractHandlers]).not.toHaveBeenCalled();
  });

  it('says a full disk in words, not "SQLITE_FULL"', async () => {
    const full = Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' });
    const h = handlers({ 'uploads:pause': vi.fn(async () => Promise.reject(full)) });
    const id = '0b6f1f4e-6a3b-4c1e-9d0e-2f3a4b5c6d7e';
    const result = await dispatchInvoke(h, 'uploads:pause', [[id]]);
    expect(result).toMatchObject({ ok: false, code: 'disk_full' });
    expect(result.ok === false && result.message).toMatch(/^Your disk is full\. Free some space/);
  });

  it('passes a valid selection through', async () => {
    const h = handlers();
    const id = '0b6f1f4e-6a3b-4c1e-9d0e-2f3a4b5c6d7e';
    expect(await dispatchInvoke(h, 'uploads:pause', [[id]])).toEqual({ ok: true, value: null });
    expect(h['uploads:pause']).toHaveBeenCalledWith([id]);
    expect(await dispatchInvoke(h, 'uploads:resume', ['all'])).toEqual({ ok: true, value: null });
  });

  it('turns a handler that throws into a failure result instead of a crash', async () => {
    const h = handlers({
      'settings:get': async () => {
        throw new Error('disk on fire');
      },
    });
    expect(await dispatchInvoke(h, 'settings:get', [])).toEqual({
      ok: false,
      code: 'internal_error',
      message: 'Something went wrong: disk on fire',
    });
  });
});
