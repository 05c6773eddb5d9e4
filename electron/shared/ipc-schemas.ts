import { z } from 'zod';
import type { InvokeChannel } from './ipc-contract';
import { settingsPatchSchema } from './settings';

/**
 * The argument schema of every invoke channel. `satisfies` makes a channel without a schema a type
 * error, so nothing reaches a handler unvalidated.
 */
export const INVOKE_ARG_SCHEMAS = {
  'session:state': z.tuple([]),
  'settings:get': z.tuple([]),
  'settings:update': z.tuple([settingsPatchSchema]),
} as const satisfies Record<InvokeChannel, z.ZodType>;

/** One readable sentence from a failed validation, for the `{ ok: false }` message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join(' ');
}
