// The program, its global options, and the core a library command reads through.
import { Command } from 'commander';
import type { Core } from '../core/root/core';
import { openCliCore, type GlobalOptions } from './context';
import { ENGLISH, localeFromEnvironment, useLocale } from '../shared/i18n';

export const program = new Command()
  .name('twelvelabs-uploader')
  .description('Upload media to TwelveLabs and manage your assets, without the window.')
  .option('--api-url <url>', 'API base URL (else TWELVELABS_BASE_URL, else the app setting)')
  .option('--data-dir <dir>', "where the queue and settings live (default: the app's own folder)")
  .option('--json', 'print one JSON object per line instead of text', false)
  .option(
    '--ca-cert <file>',
    "also trust this root certificate (PEM), as for a company's TLS inspection; repeatable",
    (file: string, all: string[] = []) => [...all, file],
  )
  .option('--proxy <url>', 'send every request through this proxy (else HTTPS_PROXY / HTTP_PROXY, with NO_PROXY)')
  .showHelpAfterError()
  // Human output speaks LC_ALL / LC_MESSAGES / LANG; --json is for scripts, in English whatever
  // the language, so the same run prints the same bytes everywhere.
  .hook('preAction', (command: Command) =>
    useLocale(command.opts<GlobalOptions>().json ? ENGLISH : localeFromEnvironment(process.env)),
  )
  // Commander's own exits (an unknown option, a missing argument) come back as errors, so a usage
  // problem ends with 2 like every other one; inherited by every command defined below.
  .exitOverride();

export function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** Runs an assets command on a reader core (it never touches the queue), closing it after. */
export async function withLibrary(run: (core: Core) => Promise<void>): Promise<void> {
  const core = await openCliCore(globals(), 'reader');
  try {
    await run(core);
  } finally {
    await core.close();
  }
}
