import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLink, isPrivateAddress } from '../../../electron/core/media/link-check';
import { Prober } from '../../../electron/core/media/probe';
import type { UploadItem } from '../../../electron/shared/uploads';
import { startEmulator } from '../../emulator/server';
import { openTestApp } from '../../helpers/app';
import { api, control, fixture, useEmulator } from '../../helpers/emulator';
import { startLinkServer, type LinkServer } from '../../helpers/link-server';
import { tempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';
import { closeAfter } from '../../helpers/cleanup';
import { startConnectProxy } from '../../helpers/connect-proxy';
import { ResolvedRoutes } from '../../../electron/core/network/routes';

let links: LinkServer;
const prober = new Prober(2);
beforeAll(async () => {
  links = await startLinkServer();
});
afterAll(async () => {
  prober.close();
  await links.close();
});

const check = (link: string, allowPrivate = true) => checkLink(link, { prober, allowPrivate });

describe('a link is checked before anything is created', () => {
  it('reads a good link by ranges: type from its bytes, size from the site, the same probe as a file', async () => {
    const result = await check(links.media('video-h264.mp4'));
    expect(result).toMatchObject({ ok: true, kind: 'video', mime: 'video/mp4' });
    expect(result.size).toBe((await stat(fixture('video-h264.mp4'))).size);
    expect(result.facts?.durationSeconds).toBeCloseTo(5, 0);
  });

  it('applies the file rules to what the probe finds', async () => {
    // Too short for search: a warning, or a refusal when such files are to be skipped.
    expect(await check(links.media('too-short.mp4'))).toMatchObject({
      ok: true,
      warnings: [expect.stringContaining("Can't be used for search: this video is 2 seconds long")],
    });
    expect(
      await checkLink(links.media('too-short.mp4'), {
        prober,
        allowPrivate: true,
        use: { for: 'search', skipUnusable: true, copies: 'skip' },
      }),
    ).toMatchObject({ ok: false, code: 'video_duration_too_short' });
    // Named .mp4, but its bytes are text.
    expect(await check(links.media('notes-renamed.mp4'))).toMatchObject({ ok: false, code: 'unsupported_type' });
  });

  it.each([
    ['/login', 'link_login', /wants a login/],
    ['/private', 'link_login', /answered 403/],
    ['/gone', 'link_gone', /Nothing is at this link any more/],
    ['/broken', 'link_unreachable', /answered 500/],
    ['/page.html', 'link_web_page', /opens a web page, not a media file/],
  ])('refuses %s in plain words', async (path, code, words) => {
    const result = await check(`${links.origin}${path}`);
    expect(result).toMatchObject({ ok: false, code });
    expect(result.ok ? '' : result.message).toMatch(words);
  });

  it('refuses a file that is too large by what the site says, without reading it', async () => {
    const before = links.requests.length;
    const result = await check(`${links.origin}/huge.mp4`);
    expect(result).toMatchObject({ ok: false, code: 'video_filesize_too_large', size: 5_000_000_000 });
    expect(result.ok ? '' : result.message).toContain('TwelveLabs takes files up to 4 GB');
    expect(links.requests.length - before).toBeLessThanOrEqual(3);
  });

  it('follows a chain of redirects within the limit, and refuses a longer one', async () => {
    expect(await check(`${links.origin}/redirect/3/video-h264.mp4`)).toMatchObject({ ok: true, kind: 'video' });
    expect(await check(`${links.origin}/redirect/9/video-h264.mp4`)).toMatchObject({
      ok: false,
      code: 'link_too_many_redirects',
    });
  });

  it('uses a ranged GET where HEAD is refused, and checks type and size where ranges are refused', async () => {
    expect(await check(`${links.origin}/no-head/video-h264.mp4`)).toMatchObject({ ok: true, kind: 'video' });
    const whole = await check(`${links.origin}/no-range/video-h264.mp4`);
    expect(whole).toMatchObject({ ok: true, kind: 'video', facts: null });
    expect(whole.ok && whole.warnings[0]).toMatch(/does not allow partial reads/);
  });

  it('refuses a private, loopback or file: address when talking to TwelveLabs, asking nothing of it', async () => {
    const before = links.requests.length;
    for (const link of [
      links.media('video-h264.mp4'),
      'http://localhost:9/a.mp4',
      'http://10.1.2.3/a.mp4',
      'http://[::1]/a.mp4',
    ]) {
      expect(await check(link, false)).toMatchObject({ ok: false, code: 'link_private' });
    }
    expect(await check('file:///home/me/clip.mp4', false)).toMatchObject({ ok: false, code: 'link_not_web' });
    expect(links.requests.length).toBe(before);
  });

  it('connects only to the address it checked, on every hop, and refuses when the lookup fails', async () => {
    // Nothing public is reachable here: 127.0.0.1 stands in for a public address, 127.0.0.2 for a
    // private one, and names resolve through the check's own lookup.
    const port = new URL(links.origin).port;
    const names: Record<string, string[]> = {
      'cdn.test': ['127.0.0.1'],
      'intranet.test': ['127.0.0.2'],
      'mixed.test': ['127.0.0.1', '127.0.0.2'],
    };
    const asked: string[] = [];
    const options = {
      prober,
      allowPrivate: false,
      isBlocked: (address: string) => address !== '127.0.0.1',
      resolve: async (host: string) => {
        asked.push(host);
        const found = names[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found;
      },
    };
    expect(await checkLink(`http://cdn.test:${port}/media/video-h264.mp4`, options)).toMatchObject({
      ok: true,
      kind: 'video',
    });
    const before = links.requests.length;
    // A public name redirecting to an internal one: the second hop is refused before it connects.
    const hop = `http://cdn.test:${port}/to?url=${encodeURIComponent(`http://intranet.test:${port}/media/video-h264.mp4`)}`;
    expect(await checkLink(hop, options)).toMatchObject({ ok: false, code: 'link_private' });
    expect(links.requests.slice(before)).toEqual([expect.stringMatching(/^GET \/to\?url=/)]);
    // One private address among the answers is enough; a name that does not resolve is not
    // resolved some other way afterwards.
    expect(await checkLink(`http://mixed.test:${port}/media/video-h264.mp4`, options)).toMatchObject({
      ok: false,
      code: 'link_private',
    });
    expect(await checkLink(`http://nowhere.test:${port}/media/video-h264.mp4`, options)).toMatchObject({
      ok: false,
      code: 'link_unreachable',
    });
    expect(links.requests.length).toBe(before + 1);
    expect(asked).toEqual(expect.arrayContaining(['cdn.test', 'intranet.test', 'mixed.test', 'nowhere.test']));
  });
});

describe('a link checked where requests go through a proxy', () => {
  it('goes the way every request goes, checks the name here first, and lets a link the network stands in front of go on', async () => {
    const port = Number(new URL(links.origin).port);
    const proxy = closeAfter(await startConnectProxy({ hosts: { 'cdn.test': port } }));
    const names: Record<string, string[]> = {
      'cdn.test': ['127.0.0.1'],
      'blocked.test': ['127.0.0.1'],
      'intranet.test': ['127.0.0.2'],
    };
    const options = {
      prober,
      allowPrivate: false,
      isBlocked: (address: string) => address !== '127.0.0.1',
      resolve: async (host: string) => {
        const found = names[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found;
      },
      routes: new ResolvedRoutes(async () => `PROXY ${new URL(proxy.bare).host}`),
    };
    expect(await checkLink(`http://cdn.test:${port}/media/video-h264.mp4`, options)).toMatchObject({
      ok: true,
      kind: 'video',
      mime: 'video/mp4',
    });
    expect(proxy.asked).toContainEqual({ target: `cdn.test:${port}`, status: 200 });
    // The proxy's policy refuses the site: not the link's fault, and TwelveLabs fetches from outside.
    expect(await checkLink(`http://blocked.test:${port}/media/clip.mov`, options)).toEqual({
      ok: true,
      kind: 'video',
      mime: 'application/octet-stream',
      facts: null,
      size: 0,
      warnings: [
        `Could not check this link from here (the proxy ${new URL(proxy.bare).host} does not allow blocked.test:${port}); TwelveLabs may still reach it, so it is sent as it is.`,
      ],
      sha256: null,
    });
    // A name only the proxy knows is not fetched from here at all; its kind is taken from its name.
    const asked = proxy.asked.length;
    expect(await checkLink(`http://only-outside.test:${port}/media/interview.mp3`, options)).toMatchObject({
      ok: true,
      kind: 'audio',
      warnings: [expect.stringContaining('only the proxy knows only-outside.test')],
    });
    // A name that is private here is refused before the proxy is asked.
    expect(await checkLink(`http://intranet.test:${port}/media/video-h264.mp4`, options)).toMatchObject({
      ok: false,
      code: 'link_private',
    });
    expect(proxy.asked.length).toBe(asked);
  });
});

describe('addresses a link may never reach', () => {
  it.each([
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['::7f00:1', 'IPv4-compatible 127.0.0.1'],
    ['::ffff:10.0.0.1', 'IPv4-mapped 10.0.0.1'],
    ['2001::1', 'Teredo'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'IPv6 multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'shared address space'],
    ['198.18.0.1', 'benchmarking'],
  ])('refuses %s (%s)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '2606:4700:4700::1111', '1.1.1.1'])('lets %s through', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('links through the app, to the emulator', () => {
  const emulator = useEmulator({ processingDelayMs: 30 });

  async function openApp() {
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: emulator.current }));
    await app.secrets.set(emulator.current.apiKey);
    return app;
  }

  const byName = (items: readonly UploadItem[]) => Object.fromEntries(items.map((item) => [item.name, item]));

  it('uploads good links once each with method=url, refuses the bad ones with reasons, and says so', async () => {
    const app = await openApp();
    await app.settings.update({
      metadataTemplate: [
        { key: 'site', value: '{host}', type: 'text' },
        { key: 'clip', value: '{name}', type: 'text' },
      ],
    });
    const good = links.media('video-h264.mp4');
    const text = [
      good,
      `${good}#t=3`,
      `  ${links.media('audio.mp3')}  `,
      `${links.origin}/gone`,
      'file:///tmp/x.mp4',
    ].join('\n');
    const added = await app.contract.handlers['uploads:add-links'](text);
    expect(added).toEqual({ ok: true, value: { queued: 4, skipped: 0, skippedFiles: [] } });
    await until(async () =>
      (await app.engine.items()).every((item) => ['ready', 'rejected'].includes(item.status.kind)),
    );

    const items = byName(await app.engine.items());
    expect(items['video-h264.mp4']).toMatchObject({
      strategy: 'url',
      status: { kind: 'ready' },
      size: (await stat(fixture('video-h264.mp4'))).size,
    });
    expect(items['audio.mp3']).toMatchObject({ strategy: 'url', kind: 'audio', status: { kind: 'ready' } });
    expect(items['gone']?.status).toMatchObject({ kind: 'rejected', code: 'link_gone' });
    expect(items['x.mp4']?.status).toMatchObject({ kind: 'rejected', code: 'link_not_web' });

    const stats = await control(emulator.current, '/stats');
    expect(stats.requests['POST /assets']).toBe(2);
    const video = items['video-h264.mp4']!.status as { assetId: string };
    const { body: asset } = await api(emulator.current, `/assets/${video.assetId}`);
    expect(asset).toMatchObject({ method: 'url', filename: 'video-h264.mp4', status: 'ready' });
    expect(asset.user_metadata).toEqual({ site: new URL(links.origin).host, clip: 'video-h264' });

    // The Library says where it came from: the link, to copy, not a file to show.
    const detail = await app.contract.handlers['library:detail'](video.assetId);
    expect(detail.ok && detail.value.source).toMatchObject({ path: good, link: true });
    expect(await app.contract.handlers['library:reveal-source'](video.assetId)).toMatchObject({
      ok: false,
      code: 'not_a_file',
    });

    // The same link again, after the list was cleared: already in the library, nothing sent.
    await app.engine.clearFinished();
    expect((await app.engine.items()).map((item) => item.name)).toEqual(['gone', 'x.mp4']);
    await app.contract.handlers['uploads:add-links'](good);
    const again = async () => (await app.engine.items()).find((item) => item.name === 'video-h264.mp4');
    await until(async () => (await again())?.status.kind === 'duplicate');
    expect((await control(emulator.current, '/stats')).requests['POST /assets']).toBe(2);
    expect(await app.contract.handlers['uploads:reveal']((await again())!.id)).toMatchObject({
      ok: false,
      code: 'not_a_file',
    });
  });

  it('refuses a link on this computer while the API address is TwelveLabs, before any request', async () => {
    const app = closeAfter(await openTestApp(await tempDir()));
    await app.settings.update({ apiBaseUrl: 'https://api.twelvelabs.io/v1.3' });
    const before = links.requests.length;
    await app.contract.handlers['uploads:add-links'](links.media('video-h264.mp4'));
    await until(async () => (await app.engine.items())[0]?.status.kind === 'rejected');
    expect((await app.engine.items())[0]?.status).toMatchObject({ code: 'link_private' });
    expect(links.requests.length).toBe(before);
  });

  it('reads a .txt or .csv list of links chosen in the dialog, and says when a text holds none', async () => {
    const list = join(await tempDir(), 'links.csv');
    await writeFile(list, `name,url\nclip,"${links.media('image.jpg')}"\n`);
    const app = closeAfter(
      await openTestApp(await tempDir(), { emulator: emulator.current, pick: { linkList: list } }),
    );
    await app.secrets.set(emulator.current.apiKey);
    expect(await app.contract.handlers['uploads:pick-link-list']()).toEqual({
      ok: true,
      value: { queued: 1, skipped: 0, skippedFiles: [] },
    });
    await until(async () => (await app.engine.items())[0]?.status.kind === 'ready');
    expect(await app.contract.handlers['uploads:add-links']('just some words')).toMatchObject({
      ok: false,
      code: 'no_links',
    });
  });

  it('creates one asset when the response to the create is lost', async () => {
    const lossy = closeAfter(
      await startEmulator({ processingDelayMs: 20, faults: { 'assets.create': { dropNext: 1 } } }),
    );
    const app = closeAfter(await openTestApp(await tempDir(), { emulator: lossy }));
    await app.secrets.set(lossy.apiKey);
    await app.contract.handlers['uploads:add-links'](links.media('video-h264.mov'));
    await until(async () => (await app.engine.items())[0]?.status.kind === 'ready', 30_000);
    const stats = await control(lossy, '/stats');
    expect(stats.assets).toBe(1);
  });

  it("shows TwelveLabs' own refusal when it cannot fetch a link that passed the check", async () => {
    const app = await openApp();
    // The site goes away between the check and TwelveLabs' fetch (the create is held back a little).
    const flaky = await startLinkServer();
    emulator.current.setFaults({ 'assets.create': { latencyMs: 1000 } });
    await app.contract.handlers['uploads:add-links'](flaky.media('video-h264.mp4'));
    await until(async () => (await app.engine.items())[0]?.status.kind === 'uploading');
    await flaky.close();
    await until(async () => (await app.engine.items())[0]?.status.kind === 'failed');
    expect((await app.engine.items())[0]?.status).toMatchObject({
      kind: 'failed',
      code: 'media_url_not_accessible',
      message: 'TwelveLabs could not open the address.',
      retryable: true,
    });
    emulator.current.setFaults({});
  });
});
