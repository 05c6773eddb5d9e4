import type { ContractHandlers, InvokeChannel } from '../../shared/ipc-contract';
import { m } from '../../shared/i18n';
import { INVOKE_ARG_SCHEMAS, describeIssues, issueField } from '../../shared/ipc-schemas';
import { fail, type Result } from '../../shared/result';
import { storageProblem } from '../store/storage-failure';

/**
 * Validates raw arguments from an untrusted caller against the channel's schema, then runs the
 * handler. Unknown channels, malformed arguments and unexpected exceptions all come back as
 * `{ ok: false }` so a bad message from the page can never crash the process hosting the core.
 */
export async function dispatchInvoke(
  handlers: ContractHandlers,
  channel: unknown,
  rawArgs: unknown,
): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !Object.hasOwn(INVOKE_ARG_SCHEMAS, channel)) {
    return fail('unknown_channel', m.ipc_unavailable());
  }
  const known = channel as InvokeChannel;
  const parsed = INVOKE_ARG_SCHEMAS[known].safeParse(rawArgs);
  if (!parsed.success) {
    const field = issueField(parsed.error);
    return { ...fail('invalid_argument', describeIssues(parsed.error)), ...(field !== undefined && { field }) };
  }
  const handler = handlers[known] as (...args: unknown[]) => Promise<Result<unknown>>;
  try {
    return await handler(...(parsed.data as unknown[]));
  } catch (error) {
    const storage = storageProblem(error);
    if (storage) return fail(storage.full ? 'disk_full' : 'storage_failed', storage.message);
    return fail('internal_error', m.ipc_went_wrong({ error: error instanceof Error ? error.message : String(error) }));
  }
}
