import { resolveTemplate, type TemplateField } from '../../shared/metadata';
import type { FileToAdd } from '../upload/engine';
import { scanPaths, type SkippedPath } from './scan';
import { identify } from './sniff';

export interface IntakeOptions {
  /** The batch's metadata template, resolved for each file. */
  readonly template: readonly TemplateField[];
  readonly onSkip?: (skipped: SkippedPath) => void;
  readonly now?: () => number;
}

/**
 * What the person added, as files ready for the queue: found by the scan (as they are found),
 * typed by their first bytes, with the batch's metadata resolved for each. A template value that
 * does not fit a file (a whole-number field fed "take two") refuses that file with the reason.
 */
export async function* intake(paths: readonly string[], options: IntakeOptions): AsyncGenerator<FileToAdd> {
  const now = options.now ?? Date.now;
  for await (const found of scanPaths(paths, options.onSkip)) {
    const file = await identify(found);
    const metadata = resolveTemplate(options.template, { relativePath: file.relativePath, addedAt: now() });
    yield metadata.ok
      ? { ...file, userMetadata: metadata.value }
      : { ...file, problem: { code: metadata.code, message: metadata.message } };
  }
}
