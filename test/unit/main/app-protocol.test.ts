import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, appFileFor, appProtocolHandler } from '../../../electron/main/app-protocol';
import { contentSecurityPolicy } from '../../../electron/main/window-options';
import { tempDir } from '../../helpers/temp-dir';

async function renderer(): Promise<string> {
  const root = join(await tempDir(), 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
  // A file beside the renderer that the page must never reach.
  await writeFile(join(root, '..', 'secret.txt'), 'not for the page');
  return root;
}

describe('the app:// scheme the window is served from', () => {
  it('serves the built renderer with its type and the security policy on every answer', async () => {
    const root = await renderer();
    const policy = contentSecurityPolicy({ developer: false });
    const handle = appProtocolHandler(root, policy);
    const page = await handle(new Request(APP_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(policy);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');
    const script = await handle(new Request('app://uploader/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(policy);
  });

  it.each([
    ['a path out of the renderer', 'app://uploader/../secret.txt'],
    ['an encoded path out of it', 'app://uploader/%2e%2e/secret.txt'],
    ['an encoded separator', 'app://uploader/assets%2f..%2f..%2fsecret.txt'],
    ['a file that is not there', 'app://uploader/missing.js'],
    ['another host', 'app://elsewhere/index.html'],
    ['a broken escape', 'app://uploader/%E0%A4%A.js'],
    ['a NUL byte', 'app://uploader/index.html%00.js'],
  ])('answers 404 for %s', async (_name, url) => {
    const root = await renderer();
    expect((await appProtocolHandler(root, 'x')(new Request(url))).status).toBe(404);
  });

  it('answers nothing but GET', async () => {
    const root = await renderer();
    const handle = appProtocolHandler(root, 'x');
    expect((await handle(new Request(APP_URL, { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('maps the root to the page, and only paths inside the renderer to files', () => {
    expect(appFileFor('/opt/app/renderer', 'app://uploader/')).toBe('/opt/app/renderer/index.html');
    expect(appFileFor('/opt/app/renderer', 'app://uploader/assets/a.css')).toBe('/opt/app/renderer/assets/a.css');
    // A sibling folder whose name starts like the root's is outside it.
    expect(appFileFor('/opt/app/renderer', 'app://uploader/..%2frenderer-other/x.js')).toBeNull();
    expect(appFileFor('/opt/app/renderer', 'file:///opt/app/renderer/index.html')).toBeNull();
  });
});
