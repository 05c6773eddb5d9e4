import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../electron/shared/schedule';
import { control, useEmulator } from '../../helpers/emulator';
import { openEngine, videoToAdd } from '../../helpers/engine';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';

const KiB = 1024;
/** A local time on 2 December 2026; the schedule reads the wall clock. */
const at = (hours: number, minutes = 0) => new Date(2026, 11, 2, hours, minutes).getTime();
const OVERNIGHT: Schedule = { window: { from: '19:00', to: '07:00' }, bandwidth: [] };

/** An engine on this schedule whose clock reads `clock()`, closed after `body`. */
async function withSchedule(
  emulator: Parameters<typeof openEngine>[0],
  schedule: Schedule,
  clock: () => number,
  body: (engine: Awaited<ReturnType<typeof openEngine>>['engine']) => Promise<void>,
): Promise<void> {
  const { engine } = closeAfter(await openEngine(emulator, await tempDir(), { schedule }, { now: clock }));
  engine.start();
  await body(engine);
}

describe('the upload schedule, under a controlled clock', () => {
  const emulator = useEmulator({
    chunkSize: 64 * KiB,
    mediaChecks: false,
    processingDelayMs: 20,
    faults: { chunks: { bandwidthBytesPerSecond: 512 * KiB } },
  });

  it('holds uploads outside the window, says until when, and lets them go when it opens', async () => {
    let clock = at(18, 0);
    await withSchedule(
      emulator.current,
      OVERNIGHT,
      () => clock,
      async (engine) => {
        const {
          ids: [id],
        } = await engine.add([await videoToAdd(40 * KiB, 'evening.mp4')]);
        await new Promise((done) => setTimeout(done, 300));
        expect((await engine.item(id!))?.status.kind).toBe('queued');
        expect(engine.totals().scheduledUntil).toBe(at(19, 0));
        clock = at(19, 1);
        engine.reconsider();
        await engine.whenIdle();
        expect((await engine.item(id!))?.status.kind).toBe('ready');
        expect(engine.totals().scheduledUntil).toBeNull();
      },
    );
  });

  it('stops a large upload when the window closes, keeps what was sent, and finishes it once after', async () => {
    let clock = at(6, 58);
    await withSchedule(
      emulator.current,
      OVERNIGHT,
      () => clock,
      async (engine) => {
        const seen = new Set<string>();
        engine.on('change', (change) => change.items.forEach((item) => seen.add(item.status.kind)));
        const {
          ids: [id],
        } = await engine.add([await videoToAdd(1024 * KiB, 'night-render.mp4')]);
        await until(async () => ((await engine.item(id!))?.bytesSent ?? 0) > 200 * KiB);
        clock = at(7, 1);
        engine.reconsider();
        await until(async () => (await engine.item(id!))?.status.kind === 'queued');
        expect((await engine.item(id!))!.bytesSent).toBeGreaterThan(0);
        await new Promise((done) => setTimeout(done, 500));
        expect((await engine.item(id!))?.status.kind).toBe('queued');
        clock = at(19, 0);
        engine.reconsider();
        await engine.whenIdle();
        expect((await engine.item(id!))?.status.kind).toBe('ready');
        expect(seen.has('failed')).toBe(false);
        expect(engine.illegalMoves()).toEqual([]);
        // One session, resumed: the parts sent before the window closed were not sent again.
        expect((await control(emulator.current, '/stats')).requests['POST /assets/multipart-uploads']).toBe(1);
      },
    );
  });

  it('"Upload now" sends a selection outside the window; the rest keep waiting', async () => {
    await withSchedule(
      emulator.current,
      OVERNIGHT,
      () => at(12, 0),
      async (engine) => {
        const {
          ids: [urgent, other],
        } = await engine.add([await videoToAdd(30 * KiB, 'urgent.mp4'), await videoToAdd(30 * KiB, 'later.mp4')]);
        await engine.uploadNow([urgent!]);
        await until(async () => (await engine.item(urgent!))?.status.kind === 'ready');
        expect((await engine.item(other!))?.status.kind).toBe('queued');
      },
    );
  });

  it('follows the bandwidth timetable', async () => {
    let clock = at(9, 0);
    const schedule: Schedule = {
      window: null,
      bandwidth: [
        { from: '08:00', limit: 128 * KiB },
        { from: '19:00', limit: 0 },
      ],
    };
    await withSchedule(
      emulator.current,
      schedule,
      () => clock,
      async (engine) => {
        const started = Date.now();
        const {
          ids: [slow],
        } = await engine.add([await videoToAdd(256 * KiB, 'day.mp4')]);
        await engine.whenIdle();
        // 256 KiB at 128 KiB/s: about two seconds (less the first burst).
        expect(Date.now() - started).toBeGreaterThan(1200);
        expect((await engine.item(slow!))?.status.kind).toBe('ready');
        clock = at(20, 0);
        const quick = Date.now();
        // 4 MiB would take over 30 s at the daytime limit; with none it takes a fraction of that on
        // any machine, however busy.
        await engine.add([await videoToAdd(4096 * KiB, 'evening.mp4')]);
        await engine.whenIdle();
        expect(Date.now() - quick).toBeLessThan(15_000);
      },
    );
  });
});
