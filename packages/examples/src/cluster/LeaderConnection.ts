import { isRpcError, type FencedGatewayOf, type GatewayOf, type RpcService } from '@nact-rpc/core';
import type { CallLedger } from './CallLedger';
import { ClusterRunError } from './errors';
import { ResourceManagerProtocol, type LeaderInfo, type LeaseProtocol } from './protocols';

/** A gateway to the ResourceManager whose calls carry a leader session. */
export type ResourceManagerGateway = FencedGatewayOf<typeof ResourceManagerProtocol, string>;

/** What a {@link LeaderConnection} needs. */
export interface LeaderConnectionOptions {
  /** The service the caller makes its calls from. */
  readonly service: RpcService;
  /** The lease service, which says who leads under which session. */
  readonly lease: GatewayOf<typeof LeaseProtocol>;
  /** The addresses of every ResourceManager (the configuration of the cluster). */
  readonly candidates: readonly string[];
  /** Counts the calls. */
  readonly ledger: CallLedger;
  /** Where progress lines go. */
  readonly report: (line: string) => void;
  /** Registers with a new leader (the first, or one after a failover). */
  readonly register: (leader: ResourceManagerGateway, info: LeaderInfo) => Promise<void>;
  /** How long to look for a leader before giving up. Default 20 s. */
  readonly leaderTimeoutMs?: number;
}

/**
 * A caller's connection to the leading ResourceManager. It learns the leader and its session
 * from the lease service, and registers with it. When a call to the leader fails because the
 * leader is gone, it does what a caller with a stale view of the leadership does: it repeats
 * the call at the other ResourceManager under the session it knows. Fencing refuses that
 * call (`FencingTokenError`): the other ResourceManager is a standby, or a new leader under a
 * new session. The connection then asks the lease service for the new leader and registers.
 */
export class LeaderConnection {
  private current: { readonly info: LeaderInfo; readonly gateway: ResourceManagerGateway } | undefined;

  constructor(private readonly options: LeaderConnectionOptions) {}

  /** The leader this caller is registered with, if any. */
  leader(): LeaderInfo | undefined {
    return this.current?.info;
  }

  /** Finds the leader and registers with it. */
  async connect(): Promise<void> {
    await this.resolve(undefined);
  }

  /**
   * Calls the leader. If the leader is gone (an `RpcError`), handles the failover and answers
   * `undefined`: the stale call at the other ResourceManagers, then the registration with the
   * new leader. Errors of the leader's own (not `RpcError`s) are thrown.
   */
  async call<T>(call: (leader: ResourceManagerGateway) => Promise<T>): Promise<T | undefined> {
    const current = this.current ?? (await this.resolve(undefined));
    try {
      return await this.options.ledger.track(call(current.gateway));
    } catch (error) {
      if (!isRpcError(error)) throw error;
      const { candidateId, address, session } = current.info;
      this.current = undefined;
      this.options.report(`lost the leader ${candidateId}: ${error.name}`);
      if (!isRpcError(error, 'FENCING_TOKEN')) await this.callStale(call, address, session);
      await this.resolve(session);
      return undefined;
    }
  }

  /** Repeats `call` at the other ResourceManagers under the old `session`: fencing must refuse it. */
  private async callStale(
    call: (leader: ResourceManagerGateway) => Promise<unknown>,
    lostAddress: string,
    session: string,
  ): Promise<void> {
    const { service, ledger, report } = this.options;
    for (const address of this.options.candidates.filter((candidate) => candidate !== lostAddress)) {
      try {
        const gateway = await service.connect(address, ResourceManagerProtocol, { fencingToken: session });
        await ledger.track(call(gateway));
        report(`a call under the old session ${session} was accepted at ${address}: fencing did not hold`);
      } catch (error) {
        if (!isRpcError(error)) throw error;
        if (error.code === 'FENCING_TOKEN') {
          report(`stale-token call refused by ${serviceOf(address)}: ${error.name} (session ${session})`);
        } else {
          report(`${serviceOf(address)} did not take the stale call either: ${error.name}`);
        }
      }
    }
  }

  /** Asks the lease service for a leader under a session other than `lostSession`, and registers with it. */
  private async resolve(
    lostSession: string | undefined,
  ): Promise<{ readonly info: LeaderInfo; readonly gateway: ResourceManagerGateway }> {
    const { service, lease, ledger, leaderTimeoutMs = 20_000 } = this.options;
    const deadline = Date.now() + leaderTimeoutMs;
    for (;;) {
      const info = await ledger.track(lease.leader());
      if (info !== null && info.session !== lostSession) {
        try {
          const gateway = await service.connect(info.address, ResourceManagerProtocol, { fencingToken: info.session });
          await this.options.register(gateway, info);
          const current = { info, gateway };
          this.current = current;
          return current;
        } catch (error) {
          if (!isRpcError(error)) throw error;
          // The leader went away as we registered: look again.
          this.options.report(`registering with ${info.candidateId} failed: ${error.name}`);
          lostSession = info.session;
        }
      }
      if (Date.now() > deadline) {
        throw new ClusterRunError(`no new leader within ${leaderTimeoutMs} ms (the last lost session: ${lostSession})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `rm-2` from `nact-rpc://rm-2@127.0.0.1:4321/resourcemanager`. */
function serviceOf(address: string): string {
  return /^[a-z-]+:\/\/([^@]+)@/.exec(address)?.[1] ?? address;
}
