// Options several commands share, parsed once.
import type { FileUse, Purpose } from '../shared/limits';
import type { EngineSettings } from '../core/upload/engine';
import { CliError } from './context';
import { m } from '../shared/i18n';

export function overrides(options: { concurrency?: number; bandwidth?: number }): Partial<EngineSettings> {
  return {
    ...(options.concurrency !== undefined && { filesInFlight: options.concurrency }),
    ...(options.bandwidth !== undefined && { bandwidthLimit: options.bandwidth }),
  };
}

/** --for, --strict and --make-copies/--no-copies for this run, each winning over its app setting when given. */
export function fileUseOf(options: {
  for?: Purpose;
  strict?: boolean;
  makeCopies?: boolean;
  copies?: boolean;
}): Partial<FileUse> {
  return {
    ...(options.for !== undefined && { for: options.for }),
    ...(options.strict !== undefined && { skipUnusable: options.strict }),
    ...(options.makeCopies && { copies: 'copy' as const }),
    ...(options.copies === false && { copies: 'skip' as const }),
  };
}

export function concurrencyOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new CliError(m.cli_concurrency());
  return n;
}
