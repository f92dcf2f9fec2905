import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';

/** The severity of a log entry. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where nact-rpc writes what it does not report to a caller: dropped tells, errors thrown by
 * `runAsync` work, refused connections and calls, protocol errors on connections. Plug in
 * your own logger through the service options: an object with these four methods, called
 * with the message first and its details (an `error`, a peer, …) second. A pino logger works
 * as it is: it is recognised, and called with the details first, as pino expects (see
 * `takesDetailsFirst`).
 */
export interface Logger {
  /** Writes an entry at level `debug`. */
  debug(message: string, details?: Record<string, unknown>): void;
  /** Writes an entry at level `info`. */
  info(message: string, details?: Record<string, unknown>): void;
  /** Writes an entry at level `warn`. */
  warn(message: string, details?: Record<string, unknown>): void;
  /** Writes an entry at level `error`. */
  error(message: string, details?: Record<string, unknown>): void;
}

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A logger that writes entries at `minLevel` and above to the console (stderr for warnings
 * and errors). The default logger of services, at level `warn`.
 * @throws RpcInvalidOptionError if `minLevel` is not one of `'debug'`, `'info'`, `'warn'`, `'error'`.
 */
export function consoleLogger(minLevel: LogLevel = 'warn'): Logger {
  if (!Object.hasOwn(LEVELS, minLevel)) {
    throw RpcInvalidOptionError.forValue('minLevel', minLevel, "'debug', 'info', 'warn' or 'error'", 'consoleLogger');
  }
  const at =
    (level: LogLevel, write: (...data: unknown[]) => void) =>
    (message: string, details?: Record<string, unknown>): void => {
      if (LEVELS[level] < LEVELS[minLevel]) return;
      if (details === undefined) write(`[nact-rpc] ${level.toUpperCase()} ${message}`);
      else write(`[nact-rpc] ${level.toUpperCase()} ${message}`, details);
    };
  return {
    debug: at('debug', console.debug),
    info: at('info', console.info),
    warn: at('warn', console.warn),
    error: at('error', console.error),
  };
}
