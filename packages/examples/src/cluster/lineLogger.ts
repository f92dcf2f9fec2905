import type { Logger } from '@nact-rpc/core';

/**
 * A logger for a service of the cluster: its warnings and errors become progress lines
 * (`warn: The association with service rm-1 … ended: …`), so that they show in order with the
 * rest of the run; debug and info entries are left out.
 */
export function lineLogger(line: (text: string) => void): Logger {
  const write =
    (level: 'warn' | 'error') =>
    (message: string, details?: Record<string, unknown>): void => {
      const cause = details?.['error'];
      line(`${level}: ${message}${cause instanceof Error ? ` (${cause.message})` : ''}`);
    };
  const leaveOut = (): void => undefined;
  return { debug: leaveOut, info: leaveOut, warn: write('warn'), error: write('error') };
}
