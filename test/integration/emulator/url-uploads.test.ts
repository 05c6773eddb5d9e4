import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, useEmulator, waitForAsset } from '../../helpers/emulator';
import { startLinkServer, type LinkServer } from '../../helpers/link-server';

/** `POST /assets` with method=url: the emulator fetches the link itself, as TwelveLabs does. */
function createFromUrl(emulator: Parameters<typeof api>[0], url: string) {
  const form = new FormData();
  form.append('method', 'url');
  form.append('url', url);
  return api(emulator, '/assets', { method: 'POST', body: form });
}

describe('the emulator fetches links for method=url', () => {
  const emulator = useEmulator({ processingDelayMs: 20, limits: { urlMediaMaxBytes: 100_000 } });
  let links: LinkServer;
  beforeAll(async () => {
    links = await startLinkServer();
  });
  afterAll(() => links.close());

  it('follows redirects, stores the file and processes it like an upload', async () => {
    const created = await createFromUrl(emulator.current, `${links.origin}/redirect/2/audio.mp3`);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ method: 'url', filename: 'audio.mp3' });
    expect(await waitForAsset(emulator.current, created.body._id)).toMatchObject({ status: 'ready' });
  });

  it('answers with the seed codes: not accessible, unsupported, too large', async () => {
    expect((await createFromUrl(emulator.current, `${links.origin}/gone`)).body.code).toBe('media_url_not_accessible');
    expect((await createFromUrl(emulator.current, `${links.origin}/page.html`)).body.code).toBe(
      'media_url_unsupported_format',
    );
    // Over the (lowered) URL limit by its stated size, before it is read.
    const large = await createFromUrl(emulator.current, links.media('video-h264.mp4'));
    expect(large.status).toBe(400);
    expect(large.body.code).toBe('media_filesize_too_large');
    expect((await createFromUrl(emulator.current, `${links.origin}/huge.mp4`)).body.code).toBe(
      'media_filesize_too_large',
    );
  });
});
