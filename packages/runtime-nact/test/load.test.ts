import { ask, defineProtocol, RpcEndpoint, serves, type GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

const CALLS = 100_000;
/** A correctness test, not a speed test: generous limits so a slow machine does not fail it. */
const TEST_TIMEOUT_MS = 60_000;

const EchoProtocol = defineProtocol('EchoGateway', {
  echo: ask<[value: number], number>(),
  echoLater: ask<[value: number], string>(),
});

@serves(EchoProtocol)
class EchoEndpoint extends RpcEndpoint {
  /** The pending echoLater calls: the value each was called with and how to answer it. */
  readonly pending: { value: number; answer: (result: string) => void }[] = [];
  readonly allReceived = deferred();
  expected = 0;

  echo(value: number): number {
    return value;
  }
  echoLater(value: number): Promise<string> {
    return new Promise<string>((resolve) => {
      this.pending.push({ value, answer: resolve });
      if (this.pending.length === this.expected) this.allReceived.resolve();
    });
  }
}

/** A deterministic shuffle (mulberry32 pseudo-random numbers, Fisher–Yates). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/** The indexes whose answer is not the expected one. */
function mismatches<T>(answers: readonly T[], expected: (index: number) => T): number[] {
  const wrong: number[] = [];
  for (let i = 0; i < CALLS; i++) if (answers[i] !== expected(i)) wrong.push(i);
  return wrong;
}

describe('many concurrent asks', () => {
  let service: NactRpcService;
  let logger: RecordingLogger;
  let endpoint: EchoEndpoint;
  let gateway: GatewayOf<typeof EchoProtocol>;

  beforeEach(async () => {
    logger = new RecordingLogger();
    service = new NactRpcService({ logger, askTimeoutMs: 10 * 60_000 });
    endpoint = new EchoEndpoint(service);
    await endpoint.start();
    gateway = await service.connect(endpoint.getAddress(), EchoProtocol);
  });
  afterEach(() => service.closeAsync());

  test(
    '100 000 concurrent asks each resolve with their own answer',
    async () => {
      const calls: Promise<number>[] = [];
      for (let i = 0; i < CALLS; i++) calls.push(gateway.echo(i));
      const answers = await Promise.all(calls);
      expect(answers).toHaveLength(CALLS);
      expect(mismatches(answers, (i) => i)).toEqual([]);
      expect(logger.entries).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  test.each([
    ['in reverse order', (indexes: number[]) => [...indexes].reverse()],
    ['in shuffled order', (indexes: number[]) => shuffled(indexes, 20240607)],
  ])(
    '100 000 concurrent asks answered %s each resolve with their own answer',
    async (_order, order) => {
      endpoint.expected = CALLS;
      const calls: Promise<string>[] = [];
      for (let i = 0; i < CALLS; i++) calls.push(gateway.echoLater(i));
      await endpoint.allReceived.promise;
      // The endpoint received the calls in order; answer them in another order.
      expect(endpoint.pending.map((call) => call.value)).toEqual(Array.from({ length: CALLS }, (_, i) => i));
      const answerOrder = order(endpoint.pending.map((_, index) => index));
      expect(answerOrder).not.toEqual(endpoint.pending.map((_, index) => index));
      for (const index of answerOrder) {
        const call = endpoint.pending[index];
        call?.answer(`answer-${call.value}`);
      }
      const answers = await Promise.all(calls);
      expect(answers).toHaveLength(CALLS);
      expect(mismatches(answers, (i) => `answer-${i}`)).toEqual([]);
      expect(logger.entries).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
