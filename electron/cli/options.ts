// Options several commands share, and the values options take, parsed once.
import type { FileUse, Purpose } from '../shared/limits';
import type { EngineSettings } from '../core/upload/engine';
import { parseMetadataValue, type MetadataType, type MetadataValue, type TemplateField } from '../shared/metadata';
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

/**
 * Parses "key=value" into a metadata field. The value may hold tokens ({folder}, {name}, ...);
 * without tokens, numbers and true/false keep their type.
 */
export function parseMetadataPair(pair: string): TemplateField {
  const at = pair.indexOf('=');
  if (at <= 0) throw new CliError(m.cli_metadata_pair({ pair: JSON.stringify(pair) }));
  const key = pair.slice(0, at).trim();
  const value = pair.slice(at + 1);
  const type: MetadataType = /\{\w+\}/.test(value)
    ? 'text'
    : value === 'true' || value === 'false'
      ? 'boolean'
      : /^[-+]?\d+$/.test(value.trim())
        ? 'integer'
        : value.trim() !== '' && Number.isFinite(Number(value))
          ? 'number'
          : 'text';
  return { key, value, type };
}

/** Static "key=value" pairs as typed metadata values, for `assets metadata --set`. */
export function parseMetadataValues(pairs: readonly string[]): Record<string, MetadataValue> {
  return Object.fromEntries(
    pairs.map(parseMetadataPair).map((field) => {
      const parsed = parseMetadataValue(field.type, field.value, field.key);
      if (!parsed.ok) throw new CliError(parsed.message);
      return [field.key, parsed.value];
    }),
  );
}

/** "10MB", "500k", "2000000": bytes per second for --bandwidth. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?(\/s)?$/i.exec(text.trim());
  if (!match) throw new CliError(m.cli_size_unread({ text: JSON.stringify(text) }));
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(match[1]) * scale);
}
