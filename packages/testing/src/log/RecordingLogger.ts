import type { Logger, LogLevel } from '@nact-rpc/core';

/** One entry written to a {@link RecordingLogger}. */
export interface LogEntry {
  /** The level it was written at. */
  readonly level: LogLevel;
  /** The message. */
  readonly message: string;
  /** The structured details given with it, if any. */
  readonly details?: Record<string, unknown> | undefined;
}

/**
 * A {@link Logger} that keeps every entry in order, so that a test can assert what a service
 * logged: give it as the service's `logger` option.
 *
 * @example
 * ```ts
 * const logger = new RecordingLogger();
 * const service = new NactRpcService({ logger });
 * // ...
 * expect(logger.find('warn', 'dropped')).toHaveLength(1);
 * ```
 */
export class RecordingLogger implements Logger {
  /** Every entry written, oldest first. */
  readonly entries: LogEntry[] = [];

  /** Records a `debug` entry. */
  debug(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'debug', message, details });
  }

  /** Records an `info` entry. */
  info(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, details });
  }

  /** Records a `warn` entry. */
  warn(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, details });
  }

  /** Records an `error` entry. */
  error(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, details });
  }

  /** The entries at `level` whose message contains `text`, oldest first. */
  find(level: LogLevel, text: string): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level && entry.message.includes(text));
  }
}
