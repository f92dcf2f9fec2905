import type { Logger, LogLevel } from '@nact-rpc/core';

/** One entry written to a {@link RecordingLogger}. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly details?: Record<string, unknown> | undefined;
}

/** A logger that keeps every entry, so tests can assert what was logged. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  debug(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'debug', message, details });
  }
  info(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, details });
  }
  warn(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, details });
  }
  error(message: string, details?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, details });
  }

  /** The entries at `level` whose message contains `text`. */
  find(level: LogLevel, text: string): LogEntry[] {
    return this.entries.filter((entry) => entry.level === level && entry.message.includes(text));
  }
}
