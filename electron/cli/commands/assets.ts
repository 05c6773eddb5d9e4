// assets: the library read, fetched, deleted and annotated.
import { Option } from 'commander';
import { CliError } from '../context';
import { parseMetadataValues } from '../options';
import { jsonLine } from '../report';
import { counted, formatBytes, formatNumber, m } from '../../shared/i18n';
import { program, globals, withLibrary } from '../program';

const assets = program
  .command('assets')
  .description('List, inspect, delete and annotate assets in your TwelveLabs library.');

assets
  .command('list')
  .description('List assets, newest first.')
  .option('--page <n>', 'page number', '1')
  .option('--limit <n>', 'assets per page (up to 50)', '20')
  .addOption(new Option('--type <type>', 'only this type').choices(['video', 'audio', 'image', 'document']))
  .option('--filename <text>', 'only names containing this text')
  .action((options: { page: string; limit: string; type?: string; filename?: string }) =>
    withLibrary(async (core) => {
      const page = await core.client.listAssets({
        page: Number(options.page),
        pageLimit: Number(options.limit),
        ...(options.type && { assetTypes: [options.type] }),
        ...(options.filename && { filename: options.filename }),
      });
      if (globals().json) {
        for (const asset of page.data) jsonLine(asset as unknown as Record<string, unknown>);
        return;
      }
      for (const asset of page.data) {
        process.stdout.write(
          `${asset._id}  ${asset.status.padEnd(10)} ${asset.size !== undefined ? formatBytes(asset.size).padStart(9) : '         '}  ${asset.filename}\n`,
        );
      }
      const pages = { page: formatNumber(page.pageInfo.page), of: formatNumber(Math.max(1, page.pageInfo.total_page)) };
      process.stdout.write(
        `${m.cli_page({ ...pages, assets: m.count_assets(counted(page.pageInfo.total_results)) })}\n`,
      );
    }),
  );

assets
  .command('get')
  .description('Show everything about one asset.')
  .argument('<id>', 'asset id')
  .action((id: string) =>
    withLibrary(async (core) => {
      const asset = await core.client.getAsset(id);
      process.stdout.write(`${JSON.stringify(asset, null, globals().json ? undefined : 2)}\n`);
    }),
  );

assets
  .command('delete')
  .description('Delete an asset. This cannot be undone.')
  .argument('<id>', 'asset id')
  .option('--force', 'delete even if an index still uses it', false)
  .action((id: string, options: { force: boolean }) =>
    // Through the Library, so its local copy and the memory of what was uploaded forget the asset too.
    withLibrary(async (core) => {
      const result = await core.library.delete([id], options.force);
      if (!result.ok) throw new CliError(result.message, 1);
      if (result.value.inUse.length > 0) {
        throw new CliError(m.cli_delete_in_use(), 1);
      }
      if (!globals().json) process.stdout.write(`${m.cli_deleted({ id })}\n`);
      else jsonLine({ event: 'deleted', id });
    }),
  );

assets
  .command('metadata')
  .description("Change an asset's metadata: merge by default, or --replace, or --clear.")
  .argument('<id>', 'asset id')
  .option('-s, --set <key=value>', 'set a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('-u, --unset <key>', 'remove a key (repeatable)', (v, all: string[]) => [...all, v], [])
  .option('--replace', 'replace all metadata with the --set keys', false)
  .option('--clear', 'remove all metadata', false)
  .action((id: string, options: { set: string[]; unset: string[]; replace: boolean; clear: boolean }) =>
    withLibrary(async (core) => {
      const values = parseMetadataValues(options.set);
      const result = options.clear
        ? await core.library.updateMetadata(id, 'clear', {})
        : options.replace
          ? await core.library.updateMetadata(id, 'replace', values)
          : await core.library.updateMetadata(id, 'merge', {
              ...values,
              ...Object.fromEntries(options.unset.map((key) => [key, null])),
            });
      if (!result.ok) throw new CliError(result.message, 1);
      process.stdout.write(`${JSON.stringify(result.value.metadata, null, globals().json ? undefined : 2)}\n`);
    }),
  );
