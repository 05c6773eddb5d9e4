// indexes: the account's search indexes, listed and made.
import { createSearchIndex, searchIndexes } from '../../core/api/indexes';
import { indexSummaryWords } from '../../shared/indexes';
import { CliError } from '../context';
import { jsonLine } from '../report';
import { m } from '../../shared/i18n';
import { program, globals, withLibrary } from '../program';

const indexes = program
  .command('indexes')
  .description('List the indexes files can be searched in, or make one (`upload --index` puts videos into one).')
  .action(() =>
    withLibrary(async (core) => {
      const found = await searchIndexes(core.client);
      if (globals().json) {
        for (const index of found) jsonLine({ event: 'index', ...index });
        return;
      }
      if (found.length === 0) {
        process.stdout.write(`${m.cli_no_indexes()}\n`);
        return;
      }
      for (const index of found) process.stdout.write(`${index.id}  ${index.name}  (${indexSummaryWords(index)})\n`);
    }),
  );

indexes
  .command('create')
  .description('Make an index for search (Marengo). What it searches, and thumbnails, cannot be changed later.')
  .argument('<name>', 'its name; names are unique')
  .option('--no-visual', 'do not search what is seen')
  .option('--no-audio', 'do not search what is heard')
  .option('--thumbnails', 'also make thumbnails', false)
  .action((name: string, options: { visual: boolean; audio: boolean; thumbnails: boolean }) =>
    withLibrary(async (core) => {
      const result = await createSearchIndex(core.client, { name, ...options });
      if (!result.ok) throw new CliError(result.message);
      const made = result.value;
      if (globals().json) jsonLine({ event: 'index', ...made });
      else process.stdout.write(`${m.cli_index_made({ name: made.name, id: made.id })}\n`);
    }),
  );
