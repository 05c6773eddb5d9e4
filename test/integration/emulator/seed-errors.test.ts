import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, fixture, uploadFixture, useEmulator } from '../../helpers/emulator';

/** A file server on loopback standing in for "a public URL" in `method=url` uploads. */
let files: Server;
let filesOrigin = '';
beforeAll(async () => {
  files = createServer(async (request, response) => {
    const path = request.url ?? '/';
    if (path === '/live.m3u8') {
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      response.end('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nsegment-1.ts\n');
      return;
    }
    const body = await readFile(fixture(path.slice(1))).catch(() => null);
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200).end(body);
  });
  await new Promise<void>((done) => files.listen(0, '127.0.0.1', done));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => files.close(() => done())));

type Case = [string, string, () => Promise<{ status: number; body: { code: string; message: string } }>, string];

describe('emulator: every error code of the seed, with its message', () => {
  // The seed lists the model's rules (frame size, shape, length) among the upload's errors; the
  // API applies them when the asset is indexed. Both answers are the emulator's to give.
  const emulator = useEmulator({ modelRulesAtUpload: true });
  // A second emulator with small limits, so "too large" and "too long" need no huge fixtures.
  const tight = useEmulator({
    modelRulesAtUpload: true,
    limits: { imageMaxBytes: 10_000, directMediaMaxBytes: 100_000, maxDurationSeconds: 4.5 },
  });

  const url = (path: string) => ({ method: 'url', url: `${filesOrigin}/${path}` });

  const cases: Case[] = [
    [
      'a JSON body',
      'content_type_invalid',
      () =>
        api(emulator.current, '/assets', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      'The content type application/json is not supported. Please use multipart/form-data.',
    ],
    [
      'multipart without a boundary',
      'multipart_boundary_missing',
      () =>
        api(emulator.current, '/assets', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data' },
          body: 'x',
        }),
      'Multipart boundary is missing. Please provide the boundary in the Content-Type header.',
    ],
    [
      'a malformed multipart body',
      'invalid_multipart',
      () =>
        api(emulator.current, '/assets', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
          body: '--xyz\r\nContent-Disposition: form-data; name="method"\r\n\r\ndirect',
        }),
      'Invalid multipart form. Please check your implementation and try again.',
    ],
    [
      'an unknown method (validator error, echoed)',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'image.jpg', { method: 'ftp' }),
      "Key: 'CreateAssetRequest.Method' Error:Field validation for 'Method' failed on the 'oneof' tag",
    ],
    [
      'a boolean that is not one (bind error, echoed)',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'image.jpg', { method: 'direct', enable_hls: 'maybe' }),
      'strconv.ParseBool: parsing "maybe": invalid syntax',
    ],
    [
      'direct without a file',
      'parameter_not_provided',
      () => uploadFixture(emulator.current, null, { method: 'direct' }),
      'The file parameter is required but was not provided. file is required when method is direct.',
    ],
    [
      'url without a url',
      'parameter_not_provided',
      () => uploadFixture(emulator.current, null, { method: 'url' }),
      'The url parameter is required but was not provided. url is required when method is url.',
    ],
    [
      'method=multipart on /assets',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'image.jpg', { method: 'multipart' }),
      'The method parameter is invalid. To upload in parts, use the /assets/multipart-uploads endpoint.',
    ],
    [
      'an empty file',
      'parameter_invalid',
      async () => {
        const form = new FormData();
        form.append('method', 'direct');
        form.append('file', new Blob([]), 'empty.mp4');
        return api(emulator.current, '/assets', { method: 'POST', body: form });
      },
      'The file parameter is invalid. Unable to process the uploaded file. Please try uploading again.',
    ],
    [
      'a text file renamed .mp4',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'notes-renamed.mp4'),
      'The file parameter is invalid. Unsupported asset type: text/plain.',
    ],
    [
      'an image below 128x128',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'image-too-small.png'),
      'The image parameter is invalid. Image dimensions 64x64 are below the minimum 128x128.',
    ],
    [
      'a truncated JPEG',
      'parameter_invalid',
      () => uploadFixture(emulator.current, 'image-truncated.jpg'),
      'The image parameter is invalid. Invalid image file. Please check the format and dimensions.',
    ],
    [
      'a URL to a text file',
      'media_url_unsupported_format',
      () => uploadFixture(emulator.current, null, url('notes-renamed.mp4')),
      'The file at the provided URL is not a supported media format. Detected format: text/plain. Please provide a valid asset file.',
    ],
    [
      'a URL that answers 404',
      'media_url_not_accessible',
      () => uploadFixture(emulator.current, null, url('missing.mp4')),
      'Cannot access the media URL {missing_url}. The server responded with an error. Please verify the URL is correct and publicly accessible.',
    ],
    [
      'a URL to a truncated video',
      'media_url_file_broken',
      () => uploadFixture(emulator.current, null, url('video-truncated.mp4')),
      'Cannot read the media file at the specified URL. Please verify the file is valid and try again.',
    ],
    [
      'a URL to a live stream',
      'video_file_live',
      () => uploadFixture(emulator.current, null, url('live.m3u8')),
      'Live video streams are not supported. Please provide a URL that is not a live stream.',
    ],
    [
      'an image over the image limit',
      'media_filesize_too_large',
      () => uploadFixture(tight.current, 'image.jpg'),
      'The media file is too large. Please upload a file smaller than 10 KB. The current size is 21.7 KB.',
    ],
    [
      'a truncated video',
      'video_file_broken',
      () => uploadFixture(emulator.current, 'video-truncated.mp4'),
      'Unable to process video file. Please check if the file is valid and try again.',
    ],
    [
      'a 320x240 video',
      'video_resolution_too_low',
      () => uploadFixture(emulator.current, 'too-low-resolution.mp4'),
      'The resolution of the video is too low. Please upload a video with a resolution between 360x360 and 5184x2160. Current resolution is 320x240.',
    ],
    [
      'a 5760x2400 video',
      'video_resolution_too_high',
      () => uploadFixture(emulator.current, 'too-high-resolution.mp4'),
      'The resolution of the video is too high. Please upload a video with a resolution between 360x360 and 5184x2160. Current resolution is 5760x2400.',
    ],
    [
      'a 1280x360 video',
      'video_resolution_invalid_aspect_ratio',
      () => uploadFixture(emulator.current, 'bad-aspect-ratio.mp4'),
      'The aspect ratio of the video is invalid. Please upload a video with an aspect ratio between 1:1 and 2.4:1. Current resolution is 1280x360.',
    ],
    [
      'a 2-second video',
      'video_duration_too_short',
      () => uploadFixture(emulator.current, 'too-short.mp4'),
      'The video is too short. Please use a video with a duration of at least 4 seconds. Current duration is 2 seconds.',
    ],
    [
      'a video over the maximum duration',
      'video_duration_too_long',
      () => uploadFixture(tight.current, 'video-vp9.webm'),
      'The video is too long. Please use a video with a duration between 4 and 4.5 seconds. Current duration is 5 seconds.',
    ],
    [
      'a video over the direct upload size',
      'video_filesize_too_large',
      () => uploadFixture(tight.current, 'video-h264.mp4'),
      'The video is too large. Please use a video with a size less than 100 KB. The current size is 134.9 KB.',
    ],
    [
      'a broken WAV',
      'audio_file_broken',
      () => uploadFixture(emulator.current, 'audio-broken.wav'),
      'Unable to process audio file. Please check if the file is valid and try again.',
    ],
    [
      'a 2-second MP3',
      'audio_duration_too_short',
      () => uploadFixture(emulator.current, 'audio-too-short.mp3'),
      'The audio is too short. Please use an audio file with a duration of at least 4 seconds. Current duration is 2.06 seconds.',
    ],
    [
      'audio over the maximum duration',
      'audio_duration_too_long',
      () => uploadFixture(tight.current, 'audio.flac'),
      'The audio is too long. Please use an audio file with a duration between 4 and 4.5 seconds. Current duration is 5 seconds.',
    ],
    [
      'audio over the direct upload size',
      'audio_filesize_too_large',
      async () => {
        const form = new FormData();
        form.append('method', 'direct');
        const wav = await readFile(fixture('audio.wav'));
        form.append('file', new Blob([wav, wav]), 'long.wav');
        return api(tight.current, '/assets', { method: 'POST', body: form });
      },
      'The audio is too large. Please use an audio file with a size less than 100 KB. The current size is 160.2 KB.',
    ],
    [
      'AAC audio',
      'audio_format_unsupported',
      () => uploadFixture(emulator.current, 'audio-aac.m4a'),
      'The audio format AAC is not supported. Please use one of the following formats: WAV, MP3, FLAC.',
    ],
  ];

  it.each(cases)('%s gets %s', async (_name, code, send, message) => {
    const { status, body } = await send();
    expect(status).toBe(400);
    expect(body.code).toBe(code);
    expect(body.message).toBe(message.replace('{missing_url}', `${filesOrigin}/missing.mp4`));
  });

  it('covers every code the seed lists', async () => {
    // A copy of the API page the product was specified from; its "Error codes" section is the list.
    const seed = await readFile(fixture('../api/assets-api-page.txt'), 'utf8');
    const listed = [...seed.slice(seed.indexOf('Error codes')).matchAll(/^([a-z_]+)- /gm)].map((match) => match[1]);
    expect(listed).toHaveLength(22);
    const covered = new Set(cases.map((entry) => entry[1]));
    for (const code of listed) expect(covered, `seed code ${code}`).toContain(code);
  });

  it.each([
    'video-h264.mp4',
    'video-h264.mov',
    'video-h264.mkv',
    'video-vp9.webm',
    'audio.mp3',
    'audio.wav',
    'audio.flac',
    'image.jpg',
    'image.png',
  ])('accepts the valid fixture %s', async (name) => {
    const { status, body } = await uploadFixture(emulator.current, name);
    expect(status).toBe(201);
    expect(body.status).toBe('processing');
  });

  it('accepts a URL upload of a valid file and names it after the URL', async () => {
    const { status, body } = await uploadFixture(emulator.current, null, url('audio.flac'));
    expect(status).toBe(201);
    expect(body).toMatchObject({ method: 'url', filename: 'audio.flac', file_type: 'audio/flac' });
  });
});
