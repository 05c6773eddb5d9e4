import { appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
}

/** Rotate at 2 MB, keep three old files: weeks of normal use, never more than 8 MB on disk. */
const MAX_BYTES = 2 * 1024 * 1024;
const KEEP = 3;

/** TwelveLabs keys and anything sent as an x-api-key header, wherever they appear in a line. */
const KEY_PATTERNS = [/tlk_[A-Za-z0-9_-]{4,}/g, /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi];

/**
 * A rotating log file in the app's data folder. Every line passes through `redact` first, so the
 * API key cannot reach the disk through a log, whatever a caller passes in.
 */
export class Logger {
  readonly #dir: string;
  readonly #secrets = new Set<string>();
  readonly #recent: LogEntry[] = [];
  #writing: Promise<void> = Promise.resolve();
  /** Lines that could not be written since the last one that was. */
  #lost = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  get file(): string {
    return join(this.#dir, 'app.log');
  }

  /** A value to blank out of every later line (the key the person stored, for one). */
  addSecret(value: string | null): void {
    if (value && value.length >= 4) this.#secrets.add(value);
  }

  redact(text: string): string {
    let clean = text;
    for (const secret of this.#secrets) clean = clean.split(secret).join('[redacted]');
    clean = clean.replace(KEY_PATTERNS[0]!, '[redacted]');
    return clean.replace(KEY_PATTERNS[1]!, '$1[redacted]');
  }

  info(message: string): Promise<void> {
    return this.#write('info', message);
  }

  warn(message: string): Promise<void> {
    return this.#write('warn', message);
  }

  error(message: string, error?: unknown): Promise<void> {
    const detail =
      error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : error === undefined ? '' : String(error);
    return this.#write('error', detail ? `${message}: ${detail}` : message);
  }

  /** The last warnings and errors, for "Copy diagnostics". Already redacted. */
  recentProblems(): readonly LogEntry[] {
    return this.#recent.filter((entry) => entry.level !== 'info');
  }

  flush(): Promise<void> {
    return this.#writing;
  }

  #write(level: LogLevel, message: string): Promise<void> {
    const entry = { at: Date.now(), level, message: this.redact(message) };
    this.#recent.push(entry);
    if (this.#recent.length > 200) this.#recent.shift();
    const line = `${new Date(entry.at).toISOString()} ${level.toUpperCase()} ${entry.message}\n`;
    this.#writing = this.#writing.then(() => this.#append(line));
    return this.#writing;
  }

  /**
   * A line that cannot be written (a full disk) is kept in memory only: the log never throws at
   * its callers and goes on writing once there is room. The next line written says how many were lost.
   */
  async #append(line: string): Promise<void> {
    try {
      await mkdir(this.#dir, { recursive: true });
      const size = (await stat(this.file).catch(() => null))?.size ?? 0;
      if (size + line.length > MAX_BYTES) await this.#rotate();
      if (this.#lost > 0) {
        await appendFile(this.file, `${new Date().toISOString()} WARN ${this.#lost} log lines could not be written\n`);
        this.#lost = 0;
      }
      await appendFile(this.file, line);
    } catch {
      this.#lost += 1;
    }
  }

  async #rotate(): Promise<void> {
    await rm(`${this.file}.${KEEP}`, { force: true });
    for (let n = KEEP - 1; n >= 1; n -= 1)
      await rename(`${this.file}.${n}`, `${this.file}.${n + 1}`).catch(() => undefined);
    await rename(this.file, `${this.file}.1`).catch(() => undefined);
  }
}
