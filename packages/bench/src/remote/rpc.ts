/**
 * The remote nact-rpc scenarios: a local client service calls the Echo endpoint of the
 * server child over TCP. `remote_rpc_ask_<n>`: asks with n in flight; `remote_rpc_tell`:
 * tells in batches, each batch confirmed by an ask for the endpoint's count (messages from
 * one sender arrive in order, so the answer comes after every tell of the batch).
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { GatewayOf } from '@nact-rpc/core';
import { EchoProtocol, errorsOnlyLogger } from '../echo';
import { batchLoop, closedLoop } from '../measure';
import { checkEcho, makePayload } from '../payload';
import type { Scenario } from '../scenario';

interface RemoteEcho {
  readonly gateway: GatewayOf<typeof EchoProtocol>;
  readonly close: () => Promise<void>;
}

async function connectRemoteEcho(address: string): Promise<RemoteEcho> {
  const client = new NactRpcService({ name: 'bench-client', logger: errorsOnlyLogger() });
  try {
    const gateway = await client.connect(address, EchoProtocol);
    return { gateway, close: () => client.closeAsync() };
  } catch (error) {
    await client.closeAsync();
    throw error;
  }
}

/** nact-rpc asks to the remote Echo endpoint at `address`, `inFlight` outstanding. */
export function rpcAskScenario(inFlight: number, address: string): Scenario {
  return {
    name: `remote_rpc_ask_${inFlight}`,
    unit: 'calls/s',
    async open() {
      const { gateway, close } = await connectRemoteEcho(address);
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
