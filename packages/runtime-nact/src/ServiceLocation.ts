import { formatRpcAddress, RpcConnectionError, type RpcAddress } from '@nact-rpc/core';
import type { WireAddress } from '@nact-rpc/transport/internal';

/** An endpoint address that names a host and port, so a transport can dial it. */
export type DialableRpcAddress = RpcAddress & { readonly host: string; readonly port: number };

/**
 * Where a service is: its name, and the host and port it listens at once its transport
 * listens (none for a local-only service). Its endpoints' addresses are made here, and
 * addresses are sorted here into this service's own, which are reached through its mailboxes,
 * and other services', which are dialled.
 */
export class ServiceLocation {
  /** `undefined` until the service listens, and for good if it never does. */
  private external: WireAddress | undefined;
  /**
   * What every endpoint address of this service begins with, up to the id: made once, so that
   * an endpoint's address is one short string of two shared parts (a service may hold a
   * hundred thousand endpoints). Reset when the service starts listening.
   */
  private addressPrefix: string | undefined;

  constructor(private readonly serviceName: string) {}

  /** Records the address the service's transport listens at (as peers are to dial it). */
  listeningAt(external: WireAddress): void {
    this.external = external;
    this.addressPrefix = undefined;
  }

  /** The host peers dial; `''` for a local-only service. */
  get host(): string {
    return this.external?.host ?? '';
  }

  /** The port peers dial; `-1` for a local-only service. */
  get port(): number {
    return this.external?.port ?? -1;
  }

  /** The host name the service's endpoints report as theirs. */
  get hostname(): string {
    return this.external?.host ?? 'localhost';
  }

  /** The address of endpoint `endpointId` of this service. */
  addressOf(endpointId: string): string {
    // formatRpcAddress ends an address with `/<endpointId>`: the prefix is the address of id ''.
    this.addressPrefix ??= formatRpcAddress({ serviceName: this.serviceName, ...this.external, endpointId: '' });
    return this.addressPrefix + endpointId;
  }

  /**
   * Whether an address names an endpoint of this service. The host and port must match too:
   * another process may run a service of the same name.
   */
  isLocal(address: RpcAddress): boolean {
    if (address.serviceName !== this.serviceName) return false;
    if (address.host === undefined) return this.external === undefined;
    return this.external !== undefined && address.host === this.external.host && address.port === this.external.port;
  }

  /**
   * Checks that an address of another service can be dialled.
   * @param text - The address as the caller wrote it, for the message.
   * @throws RpcConnectionError if it names a local-only service: one that does not listen is
   *   reachable from inside itself only.
   */
  dialable(address: RpcAddress, text: string): DialableRpcAddress {
    if (address.host === undefined || address.port === undefined) {
      throw new RpcConnectionError(
        `Could not connect to ${text}: it belongs to the local-only service ${address.serviceName} of another process or ` +
          `service, which service ${this.serviceName} cannot reach.`,
      );
    }
    return { ...address, host: address.host, port: address.port };
  }
}
