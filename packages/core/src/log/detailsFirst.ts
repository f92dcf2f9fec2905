import type { Logger, LogLevel } from './Logger';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Whether `logger` takes its details first, as pino does (`logger.warn({ err }, 'message')`):
 * a pino logger has `child` and `bindings` functions. Called message first, as nact-rpc's own
 * {@link Logger} is, it would drop the details.
 */
export function takesDetailsFirst(logger: unknown): boolean {
  if (typeof logger !== 'object' || logger === null) return false;
  const candidate = logger as { child?: unknown; bindings?: unknown };
  return typeof candidate.child === 'function' && typeof candidate.bindings === 'function';
}

/**
 * The {@link Logger} nact-rpc writes to for `logger`: `logger` itself, or, for one that takes
 * its details first (a pino logger, see {@link takesDetailsFirst}), one that calls it the way it
 * expects: `warn(message)`, or `warn({ ...details, err }, message)` with an `error` detail under
 * pino's `err` key, whose serializer keeps the error's type, message and stack.
 */
export function loggerFor(logger: Logger): Logger {
  if (!takesDetailsFirst(logger)) return logger;
  const target = logger as unknown as Record<LogLevel, (...args: unknown[]) => void>;
  const adapted = {} as Record<LogLevel, (message: string, details?: Record<string, unknown>) => void>;
  for (const level of LEVELS) {
    adapted[level] = (message, details) => {
      if (details === undefined) {
        target[level](message);
        return;
      }
      const { error, ...rest } = details;
      target[level](error === undefined ? rest : { ...rest, err: error }, message);
    };
  }
  return adapted;
}
