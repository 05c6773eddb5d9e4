import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../electron/core/api/client';
import { exportAssets } from '../../electron/shared/library';
import { openTestApp } from '../helpers/app';
import { libraryAsset } from '../helpers/library-asset';
import { tempDir } from '../helpers/temp-dir';
import { closeAfter } from '../helpers/cleanup';

describe('the smaller holes', () => {
  it('a redirect is not a success, and the key is not sent on to where it points', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers['x-api-key'] as string | undefined);
      response.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ApiClient({ baseUrl: `http://127.0.0.1:${port}/v1.3`, apiKey: () => 'tlk_secret' });
    await expect(client.getAsset('a1')).rejects.toMatchObject({ kind: 'http', status: 302 });
    expect(seen).toEqual(['tlk_secret']);
    server.close();
  });

  it('never sends a chunk to a plain-http address on another computer', async () => {
    const client = new ApiClient({ baseUrl: 'https://api.twelvelabs.io/v1.3', apiKey: () => 'k' });
    await expect(
      client.putChunk('http://storage.example.com/part?sig=1', Readable.from([Buffer.alloc(1)]), 1),
    ).rejects.toMatchObject({
      code: 'insecure_upload_url',
    });
  });

  it('guards CSV cells a spreadsheet would run, behind spaces, line breaks and full-width signs', () => {
    const asset = (filename: string) => libraryAsset('a', { filename, size: null, durationSeconds: null });
    const csv = exportAssets(['=1+1', ' =1+1', '\n=cmd', '＝1+1', '＋1', 'plain.mp4'].map(asset), 'csv');
    const names = csv
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[1]);
    expect(names).toEqual(["'=1+1", "' =1+1", `"'\n=cmd"`, "'＝1+1", "'＋1", 'plain.mp4']);
    // Metadata keys become column names, guarded the same way; a negative number stays a number.
    const tagged = exportAssets([{ ...asset('a.mp4'), metadata: { '=cmd': 'x', status: 'y', take: -3 } }], 'csv');
    expect(tagged.split('\r\n').slice(0, 2)).toEqual([
      "id,filename,type,size,duration,status,created,indexes,'=cmd,metadata.status,take",
      'a,a.mp4,video,,,ready,1970-01-01T00:00:00.000Z,,x,y,-3',
    ]);
  });

  it('keeps the data folder and its files private to this user', async () => {
    const dir = join(await tempDir(), 'data');
    const app = closeAfter(await openTestApp(dir));
    await app.close();
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'uploads.sqlite'))).toBe(0o600);
    expect(await mode(join(dir, 'library.sqlite'))).toBe(0o600);
  });
});
