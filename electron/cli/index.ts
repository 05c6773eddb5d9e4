import { CommanderError } from 'commander';
import { storageProblem } from '../core/store/storage-failure';
import { CliError } from './context';
import { m } from '../shared/i18n';
import { globals, program } from './program';
import { jsonLine } from './report';
// Each adds its commands to the program; help lists them in this order.
import './commands/upload';
import './commands/watch';
import './commands/queue';
import './commands/doctor';
import './commands/indexes';
import './commands/assets';

// Nothing may fail unseen: a stray rejection is said and ends the run with exit 1.
process.on('unhandledRejection', (error) => {
  process.stderr.write(`${m.cli_unexpected({ error: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(1);
});

program
  .parseAsync()
  .then(() => {
    // Run by the installed app (the same program), Electron would stay up after the last command.
    if (process.versions.electron) process.exit();
  })
  .catch((error: unknown) => {
    // Commander has said what was wrong (or shown the help) already.
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    const message = storageProblem(error)?.message ?? (error instanceof Error ? error.message : String(error));
    if (globals().json) jsonLine({ event: 'error', message });
    else process.stderr.write(`${message}\n`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  });
