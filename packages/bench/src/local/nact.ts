/**
 * The raw nact baselines: `local_nact_dispatch` (one-way dispatches to a stateless actor
 * that counts them), `local_nact_query_seq` and `local_nact_query_1000` (`query` with 1 and
 * 1000 in flight; the actor replies by dispatching to the query's temporary reference).
 */
import { dispatch, query, spawnStateless, start, stop, type Ref } from 'nact';
import { IntMap } from '@nact-rpc/core/internal';
import { Counter } from '../counter';
import { batchLoop, closedLoop } from '../measure';
import { makePayload, type Payload } from '../payload';
import type { Scenario } from '../scenario';

/** The nact dispatch scenario: batches of dispatches, each awaited until all are counted. */
export const nactDispatch: Scenario = {
  name: 'local_nact_dispatch',
  unit: 'msgs/s',
  open(config) {
    const system = start();
    const counter = new Counter();
    const actor = spawnStateless(system, (_payload: Payload) => counter.hit(), 'counter');
    let sent = 0;
    return {
      run: (durationMs) =>
        batchLoop(durationMs, async () => {
          for (let i = 0; i < config.batchSize; i++) dispatch(actor, makePayload(sent + i));
          sent += config.batchSize;
          await counter.reached(sent);
          return config.batchSize;
        }),
      close() {
        stop(system);
      },
    };
  },
};

interface EchoQuery {
  readonly payload: Payload;
  readonly replyTo: Ref<Payload>;
}

/** How long a nact query may take before it fails. */
const QUERY_TIMEOUT_MS = 5_000;

/**
 * Calls the echo actor with nact `query`, routing each answer to the call whose payload it
 * carries. nact gives each query a temporary reference whose id is a random 32-bit number,
 * and keeps the pending queries in a Map by that id: two queries in flight with the same id
 * (about once in 4 million queries at 1000 in flight) overwrite each other, so the later one
 * gets the earlier one's answer and its own answer is dropped. Routing by payload lets the
 * earlier call finish; the later one is ended as `misrouted` (counted, reported) instead of
 * stalling the closed loop until its timeout. The calls wait in nact-rpc's own `IntMap`, not
 * a `Map`, so that this bookkeeping costs the baseline no more than the table costs nact-rpc.
 */
class NactEchoClient {
  misrouted = 0;
  private readonly waiting = new IntMap<{ resolve: () => void; reject: (error: unknown) => void }>();

  constructor(private readonly actor: Ref<EchoQuery>) {}

  call(sequence: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.set(sequence, { resolve, reject });
      query(
        this.actor,
        (replyTo: Ref<Payload>): EchoQuery => ({ payload: makePayload(sequence), replyTo }),
        QUERY_TIMEOUT_MS,
      ).then(
        (reply) => this.answer(sequence, reply),
        (error: unknown) => this.settle(sequence)?.reject(error),
      );
    });
  }

  private answer(sequence: number, reply: Payload): void {
    const owner = this.settle(reply.id);
    if (owner === undefined) {
      this.settle(sequence)?.reject(
        new Error(`query ${sequence} was answered with ${JSON.stringify(reply)}, which no call awaits`),
      );
      return;
    }
    owner.resolve();
    if (reply.id !== sequence) {
      this.misrouted++;
      this.settle(sequence)?.resolve();
    }
  }

  private settle(sequence: number): { resolve: () => void; reject: (error: unknown) => void } | undefined {
    const call = this.waiting.get(sequence);
    this.waiting.delete(sequence);
    return call;
  }
}

function nactQuery(name: string, inFlight: number): Scenario {
  return {
    name,
    unit: 'calls/s',
    open() {
      const system = start();
      const actor = spawnStateless(system, (message: EchoQuery) => dispatch(message.replyTo, message.payload), 'echo');
      const client = new NactEchoClient(actor);
      return {
        run: (durationMs) => closedLoop(inFlight, durationMs, (sequence) => client.call(sequence)),
        anomalies: () => ({ misrouted: client.misrouted }),
        close() {
          stop(system);
        },
      };
    },
  };
}

/** nact `query`, one at a time. */
export const nactQuerySeq = nactQuery('local_nact_query_seq', 1);
/** nact `query`, 1000 in flight. */
export const nactQuery1000 = nactQuery('local_nact_query_1000', 1_000);
