import { describe, expect, it } from 'vitest';
import { watchFolderProblem } from '../../../../electron/core/watch/folder-rules';

const POSIX = { home: '/home/ana', dataDir: '/home/ana/.config/TwelveLabs Uploader' };
const WINDOWS = { home: 'C:\\Users\\Ana', dataDir: 'C:\\Users\\Ana\\AppData\\Roaming\\TwelveLabs Uploader' };

describe('which folders may be watched', () => {
  it.each([
    ['/', 'whole disk'],
    ['/home/ana', 'home folder'],
    ['/home/ana/', 'home folder'],
    ['/etc', 'system'],
    ['/usr/share/backgrounds', 'system'],
    ['/home/ana/.config/TwelveLabs Uploader/cache', 'data folder'],
  ])('refuses %s (%s)', (path, words) => {
    expect(watchFolderProblem(path, POSIX, 'linux')).toContain(words);
  });

  it.each(['/home/ana/Ingest', '/mnt/shuttle/Card 1', '/home/ana/.config-not-the-app', '/tmp/renders', '/etcetera'])(
    'takes %s',
    (path) => {
      expect(watchFolderProblem(path, POSIX, 'linux')).toBeNull();
    },
  );

  it.each([
    ['D:\\', 'whole disk'],
    ['c:\\users\\ana', 'home folder'],
    ['C:\\Windows\\Temp', 'system'],
    ['C:\\Program Files\\Adobe', 'system'],
  ])('on Windows refuses %s (%s)', (path, words) => {
    expect(watchFolderProblem(path, WINDOWS, 'win32')).toContain(words);
  });

  it('on Windows takes a folder on another drive', () => {
    expect(watchFolderProblem('E:\\Ingest', WINDOWS, 'win32')).toBeNull();
  });
});
