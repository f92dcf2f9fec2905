/**
 * The payload every call of the benchmark carries, the same for nact, nact-rpc, raw TCP and
 * gRPC, and echoed back by asks.
 */

/** The benchmark's call payload: small, JSON-representable. */
export interface Payload {
  readonly id: number;
  readonly name: string;
  readonly values: readonly number[];
}

/** The payload of call number `id`. */
export function makePayload(id: number): Payload {
  return { id, name: 'bench', values: [1, 2, 3] };
}

/** Resolves with nothing if `echoed` is call `id`'s payload; throws otherwise. */
export function checkEcho(id: number, echoed: Payload | undefined): void {
  if (echoed?.id !== id || echoed.name !== 'bench') {
    throw new Error(`call ${id} was answered with ${JSON.stringify(echoed)}`);
  }
}
