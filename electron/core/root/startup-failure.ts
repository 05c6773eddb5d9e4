import { dataFiles } from '../store/data-folder';
import { m } from '../../shared/i18n';
import { Logger } from '../log/logger';
import { storageProblem } from '../store/storage-failure';

/**
 * What the person is told when the app cannot start, and the same written to the log (a logger
 * of its own when start-up failed before the core's existed): the reason in words, redacted like
 * every log line, where the log is, and what to do.
 */
export async function reportStartupFailure(
  error: unknown,
  dataDir: string,
  logger: Logger = new Logger(dataFiles(dataDir).logs),
): Promise<{ readonly title: string; readonly detail: string }> {
  await logger.error('start-up failed', error);
  const reason =
    storageProblem(error)?.message ?? logger.redact(error instanceof Error ? error.message : String(error));
  return {
    title: m.start_failed_title(),
    detail: `${reason}\n\n${m.start_failed_detail({ log: dataFiles(dataDir).logs })}`,
  };
}
