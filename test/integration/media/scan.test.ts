import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../../electron/core/media/hash';
import { openRegular } from '../../../electron/core/media/regular-file';
import { sniffFile } from '../../../electron/core/media/sniff';
import type { FoundFile, SkippedPath } from '../../../electron/core/media/scan';
import { tempDir } from '../../helpers/temp-dir';

const CHILD = join(import.meta.dirname, '../../helpers/scan-child.ts');

/**
 * Scans in a child process. As root (CI), the child drops the capabilities that let root read any
 * folder, so a folder with mode 000 is as unreadable as it is for a normal user.
 */
function scan(...paths: string[]): { found: FoundFile[]; skipped: SkippedPath[] } {
  return scanWith({}, ...paths);
}

function scanWith(env: Record<string, string>, ...paths: string[]): { found: FoundFile[]; skipped: SkippedPath[] } {
  const node = [process.execPath, '--import', 'tsx', CHILD, ...paths];
  const command =
    process.getuid?.() === 0
      ? ['capsh', '--drop=cap_dac_override,cap_dac_read_search', '--', '-c', '"$0" "$@"', ...node]
      : node;
  return JSON.parse(execFileSync(command[0]!, command.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } }));
}

describe('scanning what people add', () => {
  it('walks nested folders, skips junk, survives a link loop, an unreadable folder and odd names', async () => {
    const root = await tempDir();
    const shoot = join(root, 'Shoot');
    await mkdir(join(shoot, 'Day 1', 'A-cam'), { recursive: true });
    await mkdir(join(shoot, 'Locked'));
    for (const path of [
      'Day 1/A-cam/clip01.mov',
      'Day 1/notes.txt',
      'still.jpg',
      '.DS_Store',
      'Thumbs.db',
      'desktop.ini',
      '.hidden.mp4',
      'export.mp4.crdownload',
      'Day 1/big.mov.part',
      'Locked/secret.mp4',
    ]) {
      await writeFile(join(shoot, path), 'x');
    }
    const longName = `${'a'.repeat(240)}.mp4`;
    await writeFile(join(shoot, longName), 'x');
    await writeFile(join(shoot, 'Übersicht – 日本.mp4'), 'x');
    // A name that is not UTF-8 (Latin-1 "café.mp4"), as old drives and archives have.
    await writeFile(Buffer.from(join(shoot, 'caf\xe9.mp4'), 'latin1'), 'x');
    await symlink(shoot, join(shoot, 'Day 1', 'loop'));
    await chmod(join(shoot, 'Locked'), 0o000);
    try {
      const { found, skipped } = scan(shoot);
      expect(found.map((file) => file.relativePath).sort()).toEqual(
        ['Shoot/Day 1/A-cam/clip01.mov', `Shoot/${longName}`, 'Shoot/still.jpg', 'Shoot/Übersicht – 日本.mp4'].sort(),
      );
      expect(found.find((file) => file.relativePath.endsWith('clip01.mov'))).toMatchObject({
        path: join(shoot, 'Day 1', 'A-cam', 'clip01.mov'),
        size: 1,
      });
      const reasons = Object.fromEntries(skipped.map((skip) => [skip.path.slice(shoot.length + 1), skip.reason]));
      expect(reasons).toEqual({
        '.DS_Store': 'junk',
        '.hidden.mp4': 'junk',
        'Day 1/big.mov.part': 'junk',
        'Day 1/loop': 'symlink-loop',
        'Day 1/notes.txt': 'not-media',
        Locked: 'unreadable',
        'Thumbs.db': 'junk',
        // Without a place for links (see the next test), a name that is not UTF-8 is skipped, named readably.
        'café.mp4': 'bad-name',
        'desktop.ini': 'junk',
        'export.mp4.crdownload': 'junk',
      });
    } finally {
      await chmod(join(shoot, 'Locked'), 0o755);
    }
  });

  it('skips camera and offload sidecars inside a folder, but not a file chosen by name', async () => {
    const root = await tempDir();
    const card = join(root, 'CARD_A');
    await mkdir(card);
    for (const name of ['A001_C001.mov', 'A001_C001.xml', 'A001_C001.XMP', 'shot list.txt', 'A001.mhl', 'C0001.THM']) {
      await writeFile(join(card, name), 'x');
    }
    const { found, skipped } = scan(card, join(card, 'shot list.txt'));
    expect(found.map((file) => file.relativePath)).toEqual(['CARD_A/A001_C001.mov', 'shot list.txt']);
    expect(
      skipped
        .filter((skip) => skip.reason === 'not-media')
        .map((skip) => skip.path.slice(card.length + 1))
        .sort(),
    ).toEqual(['A001.mhl', 'A001_C001.XMP', 'A001_C001.xml', 'C0001.THM', 'shot list.txt'].sort());
  });

  it('keeps a lone file as its own name, and reports a path that does not exist', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'clip.mp4'), 'xyz');
    const { found, skipped } = scan(join(root, 'clip.mp4'), join(root, 'gone.mp4'));
    expect(found).toEqual([expect.objectContaining({ relativePath: 'clip.mp4', size: 3 })]);
    expect(skipped).toEqual([{ path: join(root, 'gone.mp4'), reason: 'unreadable' }]);
  });
});

describe('links out of what was added', () => {
  it('follows a link within the added folder, and skips one pointing outside it with a note', async () => {
    const root = await tempDir();
    const shoot = join(root, 'Shoot');
    const elsewhere = join(root, 'Private');
    await mkdir(join(shoot, 'Day 1'), { recursive: true });
    await mkdir(elsewhere);
    await writeFile(join(shoot, 'Day 1', 'clip.mov'), 'x');
    await writeFile(join(elsewhere, 'tax return.pdf'), 'x');
    await symlink(join(shoot, 'Day 1', 'clip.mov'), join(shoot, 'latest.mov'));
    await symlink(elsewhere, join(shoot, 'Outside'));
    await symlink(join(elsewhere, 'tax return.pdf'), join(shoot, 'file-outside.pdf'));
    const { found, skipped } = scan(shoot);
    expect(found.map((file) => file.relativePath).sort()).toEqual(['Shoot/Day 1/clip.mov', 'Shoot/latest.mov']);
    expect(
      skipped
        .filter((skip) => skip.reason === 'link-outside')
        .map((skip) => skip.path)
        .sort(),
    ).toEqual([join(shoot, 'Outside'), join(shoot, 'file-outside.pdf')].sort());
  });
});

describe('things in folders that are not files', () => {
  it('skips pipes, sockets, device links and links to nothing, each with its reason, and never opens them', async () => {
    const root = await tempDir();
    const card = join(root, 'Card');
    await mkdir(card);
    await writeFile(join(card, 'A001.mov'), 'x');
    execFileSync('mkfifo', [join(card, 'capture.pipe.mov'), join(root, 'lone-pipe.mp4')]);
    await symlink(join(card, 'capture.pipe.mov'), join(card, 'to-pipe.mov'));
    await symlink('/dev/zero', join(card, 'zeros.mov'));
    await symlink(join(card, 'deleted.mov'), join(card, 'dangling.mov'));
    const socket = createServer();
    await new Promise<void>((done) => socket.listen(join(card, 'daemon.sock'), done));
    try {
      // A FIFO opened for reading would wait for a writer: the scan would never return.
      const { found, skipped } = scan(card, join(root, 'lone-pipe.mp4'));
      expect(found.map((file) => file.relativePath)).toEqual(['Card/A001.mov']);
      const reasons = Object.fromEntries(skipped.map((skip) => [skip.path.slice(root.length + 1), skip.reason]));
      expect(reasons).toEqual({
        'Card/capture.pipe.mov': 'not-a-file',
        'Card/to-pipe.mov': 'not-a-file',
        'Card/daemon.sock': 'not-a-file',
        'Card/zeros.mov': 'link-outside',
        'Card/dangling.mov': 'broken-link',
        'lone-pipe.mp4': 'not-a-file',
      });
    } finally {
      socket.close();
    }
  });

  it('refuses to open anything but a regular file, at once', async () => {
    const root = await tempDir();
    execFileSync('mkfifo', [join(root, 'pipe.mp4')]);
    await expect(openRegular(join(root, 'pipe.mp4'))).rejects.toMatchObject({ name: 'NotARegularFile', what: 'pipe' });
    await expect(openRegular('/dev/zero')).rejects.toMatchObject({ what: 'device' });
    await expect(sniffFile(join(root, 'pipe.mp4'))).rejects.toMatchObject({ what: 'pipe' });
    await expect(hashFile(join(root, 'pipe.mp4'))).rejects.toThrow();
  });
});

describe('names that are not valid UTF-8', () => {
  it('are reached through a link holding their bytes, named readably, never dropped', async () => {
    const root = await tempDir();
    const archive = join(root, 'Archive');
    await mkdir(archive);
    // Latin-1 names, as an old archive or a Windows share leaves them, one inside a folder so named.
    const legacy = Buffer.from(join(archive, 'legacy-\xe9t\xe9.png'), 'latin1');
    await writeFile(legacy, 'photo');
    await mkdir(Buffer.from(join(archive, 'D\xe9cor'), 'latin1'));
    await writeFile(Buffer.from(join(archive, 'D\xe9cor', 'plan.png'), 'latin1'), 'plan');
    const links = join(root, 'names');
    const { found, skipped } = scanWith({ SCAN_ALIASES: links }, archive);
    expect(skipped).toEqual([]);
    expect(found.map((file) => [file.relativePath, file.nameBytes])).toEqual([
      ['Archive/Décor/plan.png', undefined],
      ['Archive/legacy-été.png', 'legacy-%E9t%E9.png'],
    ]);
    const photo = found[1]!;
    expect(photo.path.startsWith(links)).toBe(true);
    expect(basename(photo.path)).toBe('legacy-été.png');
    expect(await readFile(photo.path, 'utf8')).toBe('photo');
    expect((await readlink(photo.path, { encoding: 'buffer' })).equals(legacy)).toBe(true);
    // The file inside the folder whose own name is not UTF-8 is reached the same way.
    expect(await readFile(found[0]!.path, 'utf8')).toBe('plan');
    // Scanned again (added twice, or after a restart): the same links serve.
    expect(scanWith({ SCAN_ALIASES: links }, archive).found.map((file) => file.path)).toEqual(
      found.map((file) => file.path),
    );
  });
});
