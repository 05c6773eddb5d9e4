import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_COMMANDS, isCliInvocation } from '../../../electron/main/cli-invocation';
import { linkCommandScript } from '../../../electron/main/command-line-tool';

describe('the installed app as the command line tool', () => {
  it('runs the CLI when started with one of its commands or flags', () => {
    expect(isCliInvocation(['/usr/bin/twelvelabs-uploader', 'upload', '/media/card'], true)).toBe(true);
    expect(isCliInvocation(['/usr/bin/twelvelabs-uploader', '--help'], true)).toBe(true);
    expect(isCliInvocation(['/path/electron', '.', 'status'], false)).toBe(true);
  });

  it('opens the window otherwise: no arguments, a file from a launcher, an Electron switch', () => {
    expect(isCliInvocation(['/usr/bin/twelvelabs-uploader'], true)).toBe(false);
    expect(isCliInvocation(['/usr/bin/twelvelabs-uploader', '/home/me/clip.mp4'], true)).toBe(false);
    expect(isCliInvocation(['/usr/bin/twelvelabs-uploader', '--no-sandbox'], true)).toBe(false);
    expect(isCliInvocation(['/path/electron', '.'], false)).toBe(false);
  });

  it("knows every command the CLI has (help's own list)", () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/index.ts', '--help'], {
      encoding: 'utf8',
    });
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z-]+)/gm)].map((match) => match[1]);
    expect(commands.length).toBeGreaterThan(3);
    expect([...CLI_COMMANDS].sort()).toEqual([...new Set(commands)].sort());
  });

  it('links the command with every path quoted for the shell', () => {
    expect(linkCommandScript("/Applications/Tom's Uploader.app/Contents/MacOS/TwelveLabs Uploader")).toBe(
      "mkdir -p '/usr/local/bin' && ln -sf '/Applications/Tom'\\''s Uploader.app/Contents/MacOS/TwelveLabs Uploader' '/usr/local/bin/twelvelabs-uploader'",
    );
  });
});
