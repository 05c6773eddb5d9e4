import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** How a copy's picture is encoded: what FFmpeg calls the encoder, and what it needs around it. */
export interface H264Encoder {
  /** FFmpeg's name ("h264_nvenc"). */
  readonly name: string;
  /** What people call it ("NVIDIA NVENC", "the processor (x264)"). */
  readonly label: string;
  /** Before the input: a device to open. */
  readonly input: readonly string[];
  /** After the frame is scaled: how the picture reaches the encoder. */
  readonly upload: readonly string[];
  /**
   * The encoder's own words for "quality-led, about `typical` and never far above it" or "held
   * to `bitrate`" (bits per second).
   */
  readonly rate: (control: RateControl) => string[];
}

/** An FFmpeg, by where it is (`Ffmpeg` says more; this module needs no more). */
interface FfmpegAt {
  readonly path: string;
}

export type RateControl =
  { readonly quality: true; readonly typical: number } | { readonly quality: false; readonly bitrate: number };

const held = (bitrate: number) => [
  '-b:v',
  `${bitrate}`,
  '-maxrate',
  `${Math.round(bitrate * 1.2)}`,
  '-bufsize',
  `${bitrate * 2}`,
];
/** A quality-led copy still has a ceiling, so an unusually busy picture cannot outgrow it. */
const capped = (typical: number) => ['-maxrate', `${typical * 2}`, '-bufsize', `${typical * 4}`];

/** On the processor: everywhere, the fallback, and what every other encoder is measured against. */
export const X264: H264Encoder = {
  name: 'libx264',
  label: 'x264',
  input: [],
  upload: ['format=yuv420p'],
  rate: (control) => [
    ...['-preset', 'fast'],
    ...(control.quality ? ['-crf', '21', ...capped(control.typical)] : held(control.bitrate)),
  ],
};

/**
 * The machine's own video encoders, in the order they are tried on each system: each is far
 * faster than the processor and leaves it free, at a little more size for the same picture.
 */
const HARDWARE: readonly (H264Encoder & { readonly systems: readonly NodeJS.Platform[] })[] = [
  {
    name: 'h264_videotoolbox',
    label: 'Apple VideoToolbox',
    systems: ['darwin'],
    input: [],
    upload: ['format=yuv420p'],
    // Constant quality needs Apple silicon; a rate works on every Mac.
    rate: (control) => (control.quality ? ['-b:v', `${control.typical}`] : held(control.bitrate)),
  },
  {
    name: 'h264_nvenc',
    label: 'NVIDIA NVENC',
    systems: ['win32', 'linux'],
    input: [],
    upload: ['format=yuv420p'],
    rate: (control) => [
      ...['-preset', 'p5', '-rc', 'vbr'],
      ...(control.quality ? ['-cq', '23', '-b:v', '0', ...capped(control.typical)] : held(control.bitrate)),
    ],
  },
  {
    name: 'h264_qsv',
    label: 'Intel Quick Sync',
    systems: ['win32', 'linux'],
    input: [],
    upload: ['format=nv12'],
    rate: (control) => (control.quality ? ['-global_quality', '23'] : held(control.bitrate)),
  },
  {
    name: 'h264_amf',
    label: 'AMD AMF',
    systems: ['win32'],
    input: [],
    upload: ['format=nv12'],
    rate: (control) =>
      control.quality ? ['-rc', 'cqp', '-qp_i', '21', '-qp_p', '23'] : ['-rc', 'vbr_peak', ...held(control.bitrate)],
  },
  {
    name: 'h264_vaapi',
    label: 'VA-API',
    systems: ['linux'],
    input: ['-vaapi_device', '/dev/dri/renderD128'],
    upload: ['format=nv12', 'hwupload'],
    rate: (control) => (control.quality ? ['-qp', '23'] : held(control.bitrate)),
  },
];

/**
 * Whether `encoder` makes a picture on this machine: a build may list an encoder whose hardware,
 * driver or device is not there, so each is tried on a second of test picture, with the very
 * arguments a copy uses, before any copy relies on it.
 */
async function works(ffmpeg: FfmpegAt, encoder: H264Encoder): Promise<boolean> {
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', ...encoder.input],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '1'],
    ...['-vf', encoder.upload.join(','), '-c:v', encoder.name, ...encoder.rate({ quality: true, typical: 2_000_000 })],
    ...['-f', 'null', '-'],
  ];
  return promisify(execFile)(ffmpeg.path, args, { timeout: 20_000 }).then(
    () => true,
    () => false,
  );
}

const chosen = new Map<string, Promise<H264Encoder>>();

/**
 * The fastest H.264 encoder this FFmpeg can use on this machine: the first of the system's own
 * that FFmpeg lists and that works, else the processor. Found once per FFmpeg.
 */
export function h264Encoder(ffmpeg: FfmpegAt, system: NodeJS.Platform = process.platform): Promise<H264Encoder> {
  const key = `${ffmpeg.path}\n${system}`;
  let found = chosen.get(key);
  if (!found) {
    found = (async () => {
      const listed = await promisify(execFile)(ffmpeg.path, ['-hide_banner', '-encoders'], { timeout: 10_000 }).then(
        ({ stdout }) => stdout,
        () => '',
      );
      for (const encoder of HARDWARE) {
        if (!encoder.systems.includes(system) || !new RegExp(`\\s${encoder.name}\\s`).test(listed)) continue;
        if (await works(ffmpeg, encoder)) return encoder;
      }
      return X264;
    })();
    chosen.set(key, found);
  }
  return found;
}
