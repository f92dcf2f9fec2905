import { RpcEndpoint, RpcTimeoutError, serves, withCallOptions, type RpcService } from '@nact-rpc/core';
import { RecordingLogger, rejectionOf } from '@nact-rpc/testing';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RelayProtocol, TailProtocol, type Observed } from '../fixtures/src/chainProtocols';
import { ChildService, stopAllChildren } from '../support/ChildService';

/** What two hops may add to a deadline: their time on the wire, which the time left does not count. */
const TRANSIT_ALLOWANCE_MS = 100;

/** The tail (C) of the chain, in this process: it reports what it saw of each call. */
@serves(TailProtocol)
class TailEndpoint extends RpcEndpoint {
  runs = 0;

  constructor(rpcService: RpcService) {
    super(rpcService, 'tail');
  }

  observe(): Observed {
    this.runs++;
    const { deadline, metadata } = this.getCallContext();
    return { deadline, now: Date.now(), metadata };
  }

  busy(ms: number): void {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // The tail is busy: the messages behind this one wait in its mailbox.
    }
  }
}

/**
 * A → B → C across two processes: A (a client) and C (the tail) in this process, B (the relay)
 * in another. Deadlines cross as the time left, so C's deadline is A's, give or take the
 * rounding of two hops.
 */
describe('a call chain across processes', () => {
  const tailLog = new RecordingLogger();
  let tailService: NactRpcService;
  let tail: TailEndpoint;
  let relayProcess: ChildService;
  let client: NactRpcService;

  beforeAll(async () => {
    tailService = await NactRpcService.create({ name: 'tail', logger: tailLog, listen: { port: 0 } });
    tail = new TailEndpoint(tailService);
    await tail.start();
    relayProcess = await ChildService.start({ name: 'relay', tail: tail.getAddress() }, undefined, 'chainProcess.js');
    client = new NactRpcService({ name: 'client' });
  });
  afterAll(async () => {
    await client.closeAsync();
    await stopAllChildren();
    await tailService.closeAsync();
  });

  const relayGateway = () => client.connect(relayProcess.address('relay'), RelayProtocol);

  test('C sees the deadline A set, less the time that passed', async () => {
    const relay = await relayGateway();
    const deadline = Date.now() + 5_000;
    const seen = await withCallOptions(relay, { deadline }).relay();
    expect(seen.deadline).toBeDefined();
    // The time left crosses the wire, so the time on the wire itself is not counted: each hop
    // may add its transit time (and a millisecond of rounding), which a busy machine makes
    // several milliseconds.
    expect(seen.deadline as number).toBeLessThanOrEqual(deadline + TRANSIT_ALLOWANCE_MS);
    expect(seen.deadline as number).toBeGreaterThan(deadline - 1_000);
    expect(seen.deadline as number).toBeGreaterThan(seen.now);
  });

  test('a call made after an await inherits the deadline too, unless it opts out', async () => {
    const relay = await relayGateway();
    const deadline = Date.now() + 5_000;
    const inherited = await withCallOptions(relay, { deadline }).relayAfterAwait();
    expect(inherited.deadline as number).toBeLessThanOrEqual(deadline + TRANSIT_ALLOWANCE_MS);
    expect(inherited.deadline as number).toBeGreaterThan(deadline - 1_000);
    expect((await withCallOptions(relay, { deadline }).relayDetached()).deadline).toBeUndefined();
    expect((await relay.relay()).deadline).toBeUndefined();
  });

  test('an ask that times out while it waits behind other work is dropped by the other process: it never runs', async () => {
    const impatient = new NactRpcService({ name: 'impatient', askTimeoutMs: 50 });
    try {
      const relay = await impatient.connect(relayProcess.address('relay'), RelayProtocol);
      const before = await relay.count();
      // 700 ms of work in small pieces, more than two batches of the relay's mailbox: between
      // them the relay's process reads its sockets, and so the Cancel frame, while the ask still
      // waits behind the rest.
      for (let i = 0; i < 700; i++) relay.block(1);
      // A timeout is no deadline: the request carries none, so only the Cancel frame stops it.
      expect(await rejectionOf(relay.count())).toBeInstanceOf(RpcTimeoutError);
      expect(await withCallOptions(relay, { timeoutMs: 5_000 }).count()).toBe(before + 1);
      expect(impatient.pendingCallCounts()).toEqual({ waiting: 0, reserved: 0, served: 0 });
    } finally {
      await impatient.closeAsync();
    }
  });

  test('C refuses a call whose deadline passed while it waited behind other work in its mailbox', async () => {
    const relay = await relayGateway();
    const before = tail.runs;
    // A second of work queued in C's mailbox; C's process still reads its sockets meanwhile.
    const self = tail.getSelfGateway(TailProtocol);
    for (let i = 0; i < 1_000; i++) self.busy(1);
    // A gives the chain 200 ms; B passes what is left on to C, where the call waits behind that work.
    expect(await rejectionOf(withCallOptions(relay, { timeoutMs: 200 }).relay())).toBeInstanceOf(RpcTimeoutError);
    await tail.getSelfGateway(TailProtocol).observe();
    expect(tailLog.find('debug', 'Refused ask Tail.observe')).toHaveLength(1);
    expect(tailLog.find('debug', 'its deadline passed before it started')).toHaveLength(1);
    // Only the call made here, after the work, ran.
    expect(tail.runs).toBe(before + 1);
  });

  test('metadata reaches the endpoint it was sent to, and is not passed on', async () => {
    const relay = await relayGateway();
    const seen = await withCallOptions(relay, { metadata: { tenant: 'acme' } }).relay();
    expect(seen.metadata).toEqual({});
  });
});
