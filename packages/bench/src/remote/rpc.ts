/**
 * The remote nact-rpc scenarios: a local client service calls the Echo endpoint of the
 * server child over TCP. `remote_rpc_ask_<n>`: asks with n in flight; `remote_rpc_tell`:
 * tells in batches, each batch confirmed by an ask for the endpoint's count (messages from
 * one sender arrive in order, so the answer comes after every tell of the batch). The same
 * asks over mutual TLS (`remote_tls_ask_<n>`) and with a shared secret
 * (`remote_secret_ask_<n>`) go to the server child's secured services.
 */
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import type { GatewayOf } from '@nact-rpc/core';
import { EchoProtocol, errorsOnlyLogger } from '../echo';
import { batchLoop, closedLoop } from '../measure';
import { checkEcho, makePayload } from '../payload';
import type { Scenario } from '../scenario';

interface RemoteEcho {
  readonly gateway: GatewayOf<typeof EchoProtocol>;
  readonly close: () => Promise<void>;
}

/** How a remote ask scenario calls: its figure prefix and the client service's security. */
export interface RemoteAskVariant {
  /** The figure prefix before `_<n>`, e.g. `remote_tls_ask`. Default `remote_rpc_ask`. */
  readonly prefix: string;
  /** The client service's `security` options (TLS, a shared secret); default none. */
  readonly security?: NactRpcServiceOptions['security'];
}

const PLAINTEXT: RemoteAskVariant = { prefix: 'remote_rpc_ask' };

async function connectRemoteEcho(address: string, security?: NactRpcServiceOptions['security']): Promise<RemoteEcho> {
  const client = new NactRpcService({
    name: 'bench-client',
    logger: errorsOnlyLogger(),
    ...(security === undefined ? {} : { security }),
  });
  try {
    const gateway = await client.connect(address, EchoProtocol);
    return { gateway, close: () => client.closeAsync() };
  } catch (error) {
    await client.closeAsync();
    throw error;
  }
}

/**
 * nact-rpc asks to the remote Echo endpoint at `address`, `inFlight` outstanding; `variant`
 * names the scenario and secures its client (default: `remote_rpc_ask_<n>`, plaintext).
 */
export function rpcAskScenario(inFlight: number, address: string, variant = PLAINTEXT): Scenario {
  return {
    name: `${variant.prefix}_${inFlight}`,
    unit: 'calls/s',
    async open() {
      const { gateway, close } = await connectRemoteEcho(address, variant.security);
      return {
        run: (durationMs) =>
          closedLoop(inFlight, durationMs, async (sequence) =>
            checkEcho(sequence, await gateway.echo(makePayload(sequence))),
          ),
        close,
      };
    },
  };
}

/** nact-rpc tells to the remote Echo endpoint at `address`, in batches confirmed by an ask. */
export function rpcTellScenario(address: string): Scenario {
  return {
    name: 'remote_rpc_tell',
    unit: 'msgs/s',
    async open(config) {
      const { gateway, close } = await connectRemoteEcho(address);
      let expected = await gateway.count();
      return {
        run: (durationMs) =>
          batchLoop(durationMs, async () => {
            for (let i = 0; i < config.batchSize; i++) gateway.hit(makePayload(expected + i));
            expected += config.batchSize;
            const counted = await gateway.count();
            if (counted !== expected)
              throw new Error(`remote_rpc_tell: the endpoint counted ${counted} tells, expected ${expected}`);
            return config.batchSize;
          }),
        close,
      };
    },
  };
}
