// doctor: the way to TwelveLabs, step by step, and the FFmpeg copies are made with.
import { originOf } from '../../core/secrets/bound-key';
import { checkConnection } from '../../core/api/doctor';
import { ffmpegFound } from '../../core/media/ffmpeg';
import { ffmpegWords } from '../../shared/upload-copy';
import { machineRoutes, machineTrust, openCliCore, resolveKey } from '../context';
import { jsonLine } from '../report';
import { m } from '../../shared/i18n';
import { program, globals } from '../program';

program
  .command('doctor')
  .description(
    'Check the way to TwelveLabs: the route (direct or which proxy), certificates, the key, and a small real upload (deleted after). Prints a report for IT with nothing secret in it.',
  )
  .action(async () => {
    const core = await openCliCore(globals(), 'reader', { key: false });
    try {
      const origin = originOf(core.baseUrl());
      const check = await checkConnection({
        baseUrl: core.baseUrl(),
        apiKey: () => resolveKey(origin).catch(() => null),
        trust: machineTrust(),
        ...(machineRoutes() && { routes: machineRoutes()!.routes }),
        environment: {
          proxy: machineRoutes()?.from ?? 'direct',
          tool: 'twelvelabs-uploader',
          node: process.version,
          platform: `${process.platform} ${process.arch}`,
        },
      });
      // Not part of the way to TwelveLabs, so it does not decide the exit code: said beside it.
      const ffmpeg = core.ffmpeg && (await ffmpegFound(core.ffmpeg));
      if (globals().json) {
        for (const step of check.steps) jsonLine({ event: 'check', ...step });
        jsonLine({
          event: 'ffmpeg',
          found: ffmpeg !== null,
          ...(ffmpeg && { path: ffmpeg.path, version: ffmpeg.version, encoder: ffmpeg.encoder.name }),
        });
        jsonLine({ event: 'summary', ok: check.ok, inspectedBy: check.inspectedBy });
      } else {
        for (const step of check.steps) process.stdout.write(`${step.ok ? '✓' : '✗'} ${step.what}: ${step.words}\n`);
        process.stdout.write(
          `${ffmpeg ? '✓' : '–'} ${m.copy_label()}: ${ffmpeg ? ffmpegWords(ffmpeg) : m.copy_ffmpeg_missing()}\n`,
        );
        process.stdout.write(`\n${m.cli_for_it()}\n\n${check.report}\n`);
      }
      process.exitCode = check.ok ? 0 : 1;
    } finally {
      await core.close();
    }
  });
