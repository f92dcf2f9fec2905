import { RpcConnectionError } from '../errors/RpcConnectionError';

/** The URL scheme of nact-rpc addresses. */
export const RPC_SCHEME = 'nact-rpc';

/** The URL scheme of the addresses of services that listen with TLS. */
export const RPC_TLS_SCHEME = 'nact-rpcs';

/**
 * The parts of an endpoint address. Addresses have the form
 * `nact-rpc://<service>@<host>:<port>/<endpointId>` for an endpoint of a service bound to a
 * TCP port, `nact-rpcs://<service>@<host>:<port>/<endpointId>` for one of a service that
 * listens with TLS, and `nact-rpc://<service>/<endpointId>` for one of a local-only service.
 */
export interface RpcAddress {
  /** The name of the service the endpoint belongs to. */
  readonly serviceName: string;
  /** Host and port, absent for a local-only service. */
  readonly host?: string | undefined;
  /** The TCP port, absent for a local-only service. */
  readonly port?: number | undefined;
  /** Whether the service listens with TLS (the `nact-rpcs` scheme); absent (or `false`) if not. */
  readonly tls?: boolean | undefined;
  /** The endpoint's id. */
  readonly endpointId: string;
}

/** Names of services and endpoints: letters, digits and `_ . -`. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

const ADDRESS =
  /^nact-rpc(s?):\/\/([A-Za-z0-9_.-]+)(?:@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5}))?\/([A-Za-z0-9_.-]+)$/;

/** Formats an address; the inverse of {@link parseRpcAddress}. */
export function formatRpcAddress(address: RpcAddress): string {
  const location =
    address.host === undefined
      ? address.serviceName
      : `${address.serviceName}@${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  return `${address.tls === true ? RPC_TLS_SCHEME : RPC_SCHEME}://${location}/${address.endpointId}`;
}

/**
 * Parses an endpoint address.
 *
 * @throws RpcConnectionError naming the address and the expected form if it is malformed.
 */
export function parseRpcAddress(address: string): RpcAddress {
  const match = typeof address === 'string' ? ADDRESS.exec(address) : null;
  const port = match?.[4] === undefined ? undefined : Number(match[4]);
  const tls = match?.[1] === 's';
  // A local-only service has no TLS port: nact-rpcs:// needs a host and port.
  if (match === null || (port !== undefined && port > 65535) || (tls && port === undefined)) {
    throw new RpcConnectionError(
      `Could not connect to ${JSON.stringify(address)}: not a nact-rpc address. Expected ` +
        `nact-rpc://<service>@<host>:<port>/<endpointId>, nact-rpcs://<service>@<host>:<port>/<endpointId> (TLS) ` +
        `or nact-rpc://<service>/<endpointId>.`,
    );
  }
  const rawHost = match[3];
  return {
    serviceName: match[2] as string,
    host: rawHost?.startsWith('[') ? rawHost.slice(1, -1) : rawHost,
    port,
    ...(tls ? { tls } : {}),
    endpointId: match[5] as string,
  };
}
