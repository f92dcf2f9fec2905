import { RpcInvalidStateError } from '@nact-rpc/core';
import type { EndpointHooks } from '@nact-rpc/core/internal';
import type { NactRpcServer } from './NactRpcServer';

/**
 * The live endpoints of a service, by id. An id is taken from the start of its endpoint until
 * that endpoint's actor has stopped, so that an address names one endpoint at a time. It is
 * the owner every server of the service reports the stop of its actor to.
 */
export class ServiceEndpoints {
  private readonly servers = new Map<string, NactRpcServer>();

  constructor(private readonly serviceName: string) {}

  /** The live endpoint with this id, if any. A property, so that it can be handed out as a lookup. */
  readonly get = (endpointId: string): NactRpcServer | undefined => this.servers.get(endpointId);

  /** The live endpoints, copied: closing them removes them from here. */
  list(): NactRpcServer[] {
    return [...this.servers.values()];
  }

  /**
   * Checks, before its server is made, that the endpoint's id is free.
   * @throws RpcInvalidStateError if a live endpoint has that id.
   */
  ensureFree(hooks: EndpointHooks): void {
    if (this.servers.has(hooks.endpointId)) {
      throw new RpcInvalidStateError(
        `Cannot start endpoint ${hooks.endpointId} (${hooks.className}): service ${this.serviceName} already has a ` +
          `live endpoint with that id. Ids can be reused once the endpoint has terminated.`,
      );
    }
  }

  /** Takes the id of `server`, just made. */
  add(server: NactRpcServer): void {
    this.servers.set(server.endpointId, server);
  }

  /** Releases the id of an endpoint whose actor has stopped (if that endpoint still holds it). */
  endpointReaped(server: NactRpcServer): void {
    if (this.servers.get(server.endpointId) === server) this.servers.delete(server.endpointId);
  }
}
