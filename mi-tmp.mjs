import mediaInfoFactory from 'mediainfo.js';
import { open, stat } from 'node:fs/promises';
const mi = await mediaInfoFactory({ format: 'object' });
const budget = Number(process.env.BUDGET);
for (const f of process.argv.slice(2)) {
  const h = await open(f, 'r');
  const size = (await stat(f)).size;
  let read = 0;
  const offs = [];
  const t = performance.now();
  const r = await mi.analyzeData(size, async (n, off) => {
    if (read >= budget) return new Uint8Array(0);
    offs.push(off);
    const b = Buffer.alloc(n);
    const { bytesRead } = await h.read(b, 0, n, off);
    read += bytesRead;
    return b.subarray(0, bytesRead);
  });
  await h.close();
  console.log(
    f,
    read,
    (performance.now() - t).toFixed(0),
    offs.length,
    offs.slice(0, 6),
    JSON.stringify(
      r.media?.track.map((t) => ({
        t: t['@type'],
        f: t.Format,
        d: t.Duration,
        w: t.Width,
        h: t.Height,
        fr: t.FrameRate,
      })),
    ),
  );
}
