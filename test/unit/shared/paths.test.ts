import { describe, expect, it } from 'vitest';
import { folderOf, nameOf, partsOf } from '../../../electron/shared/paths';

describe('paths as people see them, from any system', () => {
  it('names a file and its folder whichever separator the path came with', () => {
    expect(nameOf('Day 2/A-cam/clip.mp4')).toBe('clip.mp4');
    expect(folderOf('Day 2/A-cam/clip.mp4')).toBe('Day 2/A-cam');
    expect(nameOf('C:\\Shoots\\Ingest\\')).toBe('Ingest');
    expect(folderOf('C:\\Shoots\\clip.mp4')).toBe('C:\\Shoots');
    expect(folderOf('\\\\nas\\media/Day 2\\clip.mp4')).toBe('\\\\nas\\media/Day 2');
    expect(nameOf('clip.mp4')).toBe('clip.mp4');
    expect(folderOf('clip.mp4')).toBe('');
    expect(nameOf('')).toBe('');
    expect(partsOf('/Volumes/Card/clip.mp4')).toEqual(['', 'Volumes', 'Card', 'clip.mp4']);
  });
});
