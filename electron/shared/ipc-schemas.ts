import { z } from 'zod';
import type { InvokeChannel } from './ipc-contract';
import { settingsPatchSchema } from './settings';

/**
 * The argument schema of every invoke channel. `satisfies` makes a channel without a schema a type
 * error, so nothing reaches a handler unvalidated.
 */
const itemId = z.uuid('Unknown item.');
const itemIds = z.array(itemId).max(1_000_000);
const selection = z.union([z.literal('all'), itemIds]);
/** A file system path as the OS gave it: absolute, and no longer than any OS allows. */
const path = z.string().min(1).max(32_767);

export const INVOKE_ARG_SCHEMAS = {
  'session:state': z.tuple([]),
  'settings:get': z.tuple([]),
  'settings:update': z.tuple([settingsPatchSchema]),
  'secrets:set-api-key': z.tuple([
    z.string().trim().min(1, 'Paste your API key.').max(512, 'That is too long to be an API key.'),
  ]),
  'secrets:clear-api-key': z.tuple([]),
  'uploads:list': z.tuple([]),
  'uploads:pick-files': z.tuple([]),
  'uploads:pick-folder': z.tuple([]),
  'uploads:add-dropped': z.tuple([z.array(path).min(1, 'Nothing was dropped.').max(100_000)]),
  'uploads:pause': z.tuple([selection]),
  'uploads:resume': z.tuple([selection]),
  'uploads:cancel': z.tuple([selection]),
  'uploads:retry': z.tuple([selection]),
  'uploads:remove': z.tuple([itemIds]),
  'uploads:move-to-top': z.tuple([itemIds]),
  'uploads:clear-finished': z.tuple([]),
  'uploads:reveal': z.tuple([itemId]),
  'app:copy-diagnostics': z.tuple([]),
} as const satisfies Record<InvokeChannel, z.ZodType>;

/** One readable sentence from a failed validation, for the `{ ok: false }` message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join(' ');
}
