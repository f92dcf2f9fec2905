import { isIP } from 'node:net';

/**
 * Whether `address` (a socket's `remoteAddress`) is a loopback address: `127.0.0.0/8`, `::1`,
 * or an IPv4-mapped IPv6 form of the former (`::ffff:127.0.0.1`). `undefined` (a socket that
 * is not connected) and anything else is not.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const lower = address.toLowerCase();
  if (isIP(lower) === 6) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^(?:::|(?:0{1,4}:){5})ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped?.[1] !== undefined && isLoopbackAddress(mapped[1]);
  }
  return isIP(lower) === 4 && lower.startsWith('127.');
}
