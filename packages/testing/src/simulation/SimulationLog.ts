import type { Clock, Logger, LogLevel } from '@nact-rpc/core';

/** One line a service of a simulation logged. */
export interface SimulationLogLine {
  /** Virtual ms since the simulation began. */
  readonly at: number;
  /** The host of the service that logged it. */
  readonly host: string;
  /** The level it was logged at. */
  readonly level: LogLevel;
  /** The message, without its details. */
  readonly message: string;
}

/**
 * What the services of a simulation logged, each line with its virtual time and host: the
 * default logger of a simulation's services, kept for a failure's message. Not part of the
 * trace: log lines may name random values (endpoint ids made by default).
 */
export class SimulationLog {
  private readonly lines: SimulationLogLine[] = [];
  private readonly startMs: number;

  constructor(private readonly clock: Clock) {
    this.startMs = clock.now();
  }

  /** Every line so far, oldest first. */
  get entries(): readonly SimulationLogLine[] {
    return this.lines;
  }

  /** A logger that writes to this log as `host`. */
  loggerFor(host: string): Logger {
    const at =
      (level: LogLevel) =>
      (message: string): void => {
        this.lines.push({ at: this.clock.now() - this.startMs, host, level, message });
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
}
