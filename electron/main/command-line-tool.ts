import { execFile } from 'node:child_process';
import { lstat, symlink, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';

/** Where macOS puts the command, as VS Code's "Install 'code' command in PATH" does. */
export const COMMAND_LINK = '/usr/local/bin/twelvelabs-uploader';

/** The shell line that (re)links the command to the app, for the administrator prompt. */
export function linkCommandScript(appBinary: string, link = COMMAND_LINK): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return `mkdir -p ${quote(link.slice(0, link.lastIndexOf('/')))} && ln -sf ${quote(appBinary)} ${quote(link)}`;
}

/**
 * Links `twelvelabs-uploader` in /usr/local/bin to this app's binary, so a terminal runs the CLI
 * inside the installed app. Where that folder is not writable, macOS asks for an administrator.
 */
export async function installCommandLineTool(appBinary: string): Promise<void> {
  try {
    if (await lstat(COMMAND_LINK).catch(() => null)) await unlink(COMMAND_LINK);
    await symlink(appBinary, COMMAND_LINK);
  } catch {
    const script = linkCommandScript(appBinary).replace(/["\\]/g, '\\$&');
    await promisify(execFile)('osascript', ['-e', `do shell script "${script}" with administrator privileges`]);
  }
}
