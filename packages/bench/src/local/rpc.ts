/**
 * The local nact-rpc scenarios, through a gateway from `service.connect`:
 * `local_rpc_tell` (batches of tells, each awaited until the endpoint counted all),
 * `local_rpc_ask_seq` / `local_rpc_ask_1000` (asks with 1 and 1000 in flight) and
 * `local_rpc_ask_deadline_1000` (the same asks with a deadline each, `withCallOptions` with
 * `timeoutMs`: the endpoint serves each in an async scope of its own, whose deadline the calls
 * it makes inherit).
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { withCallOptions, type CallOptions, type GatewayOf } from '@nact-rpc/core';
import { EchoEndpoint, EchoProtocol, errorsOnlyLogger } from '../echo';
import { batchLoop, closedLoop } from '../measure';
import { checkEcho, makePayload } from '../payload';
import type { Scenario, ScenarioSession } from '../scenario';

interface LocalEcho {
  readonly endpoint: EchoEndpoint;
  readonly gateway: GatewayOf<typeof EchoProtocol>;
  readonly close: () => Promise<void>;
}

async function openLocalEcho(): Promise<LocalEcho> {
  const service = new NactRpcService({ logger: errorsOnlyLogger() });
  try {
    const endpoint = new EchoEndpoint(service, 'echo');
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), EchoProtocol);
    return { endpoint, gateway, close: () => service.closeAsync() };
  } catch (error) {
    await service.closeAsync();
    throw error;
  }
}

/** nact-rpc tells through a connected gateway, in batches. */
export const rpcTell: Scenario = {
  name: 'local_rpc_tell',
  unit: 'msgs/s',
  async open(config): Promise<ScenarioSession> {
    const { endpoint, gateway, close } = await openLocalEcho();
    let sent = 0;
    return {
      run: (durationMs) =>
        batchLoop(durationMs, async () => {
          for (let i = 0; i < config.batchSize; i++) gateway.hit(makePayload(sent + i));
          sent += config.batchSize;
          await endpoint.hits.reached(sent);
          return config.batchSize;
        }),
      close,
    };
  },
};

function rpcAsk(name: string, inFlight: number, options?: CallOptions): Scenario {
  return {
    name,
    unit: 'calls/s',
    async open(): Promise<ScenarioSession> {
      const local = await openLocalEcho();
      const { close } = local;
      const gateway = options === undefined ? local.gateway : withCallOptions(local.gateway, options);
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

/** nact-rpc asks, one at a time. */
export const rpcAskSeq = rpcAsk('local_rpc_ask_seq', 1);
/** nact-rpc asks, 1000 in flight. */
export const rpcAsk1000 = rpcAsk('local_rpc_ask_1000', 1_000);
/** nact-rpc asks, 1000 in flight, each with a deadline 10 s away. */
export const rpcAskDeadline1000 = rpcAsk('local_rpc_ask_deadline_1000', 1_000, { timeoutMs: 10_000 });
