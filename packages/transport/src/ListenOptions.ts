import { RpcInvalidOptionError } from '@nact-rpc/core';
import { parsePortSpec, type PortSpec } from './parsePortSpec';

/** Where a service listens, and the address it tells others. */
export interface ListenOptions {
  /** The interface to bind. Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** A port, a range such as `'50100-50200'` (tried in order), or 0 for any free port. Default 0. */
  readonly port?: PortSpec | undefined;
  /**
   * The host others reach the service at, if it differs from the bound one (NAT, containers).
   * Default: the bound host, or the machine's host name when bound to all interfaces.
   */
  readonly externalHost?: string | undefined;
  /** The port others reach the service at, if it differs from the bound one. */
  readonly externalPort?: number | undefined;
}

/** {@link ListenOptions} checked, with the defaults applied and the ports to try listed. */
export interface ResolvedListenOptions {
  /** The interface to bind. */
  readonly host: string;
  /** The port or range as given, for messages. */
  readonly portSpec: PortSpec;
  /** The ports to try, in order. */
  readonly ports: readonly number[];
  /** The host to advertise, if given. */
  readonly externalHost: string | undefined;
  /** The port to advertise, if given. */
  readonly externalPort: number | undefined;
}

/**
 * Checks the listen options and applies their defaults.
 * @throws RpcInvalidOptionError naming the option (`listen`, `listen.host`, `listen.port`,
 *   `listen.externalHost`, `listen.externalPort`) that is of the wrong type or malformed.
 */
export function resolveListenOptions(listen: ListenOptions = {}): ResolvedListenOptions {
  if (listen === null || typeof listen !== 'object' || Array.isArray(listen)) {
    throw RpcInvalidOptionError.forValue(
      'listen',
      listen,
      "an object such as { host: '0.0.0.0', port: '50100-50200' }",
    );
  }
  const host = listen.host ?? '127.0.0.1';
  if (!isHost(host)) {
    throw RpcInvalidOptionError.forValue(
      'listen.host',
      host,
      "an interface to bind, such as '127.0.0.1', '0.0.0.0' or '::'",
    );
  }
  const portSpec = listen.port ?? 0;
  const ports = parsePortSpec(portSpec);
  const { externalHost, externalPort } = listen;
  if (externalHost !== undefined && !isHost(externalHost)) {
    throw RpcInvalidOptionError.forValue('listen.externalHost', externalHost, 'a non-empty host name or address');
  }
  if (externalPort !== undefined && !(Number.isInteger(externalPort) && externalPort >= 1 && externalPort <= 65535)) {
    throw RpcInvalidOptionError.forValue('listen.externalPort', externalPort, 'a port from 1 to 65535');
  }
  return { host, portSpec, ports, externalHost, externalPort };
}

function isHost(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.trim() === value;
}
