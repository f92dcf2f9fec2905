import {
  MESSAGES_PER_TURN,
  scheduleDelivery,
  TIME_CHECK_MESSAGES,
  TURN_BUDGET_MS,
  type DeliveryTarget,
} from '../src/deliveryScheduler';
import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '../../../test/support/RecordingLogger';

/** A mailbox stand-in: each delivery reports `batch` messages, and counts its deliveries. */
function target(batch: number): DeliveryTarget & { deliveries: number } {
  const stub = {
    deliveries: 0,
    deliverNow(): number {
      stub.deliveries++;
      return batch;
    },
  };
  return stub;
}

/** Resolves after the current macrotask and the microtasks it queued. */
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the delivery budget of one turn of the event loop', () => {
  afterEach(() => jest.restoreAllMocks());

  test('is counted in messages: past MESSAGES_PER_TURN, woken mailboxes wait for the next macrotask', async () => {
    const batch = 1024;
    const within = MESSAGES_PER_TURN / batch;
    const targets = Array.from({ length: within + 3 }, () => target(batch));
    for (const each of targets) scheduleDelivery(each);
    await Promise.resolve();
    // The microtask delivered as many full batches as the budget holds, and no more.
    expect(targets.filter((each) => each.deliveries === 1)).toHaveLength(within);
    await nextMacrotask();
    await nextMacrotask();
    expect(targets.every((each) => each.deliveries === 1)).toBe(true);
  });

  test('is counted in time too: once TURN_BUDGET_MS have passed, the rest waits for the next macrotask', async () => {
    let now = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    // Each delivery reports just enough messages for the clock to be read, and takes 1 ms.
    const slow = Array.from({ length: 10 }, () => {
      const each = target(TIME_CHECK_MESSAGES);
      const deliver = each.deliverNow.bind(each);
      each.deliverNow = () => {
        now += 1;
        return deliver();
      };
      return each;
    });
    for (const each of slow) scheduleDelivery(each);
    await Promise.resolve();
    const first = slow.filter((each) => each.deliveries === 1).length;
    expect(first).toBeGreaterThanOrEqual(TURN_BUDGET_MS);
    expect(first).toBeLessThanOrEqual(TURN_BUDGET_MS + 1);
    await nextMacrotask();
    await nextMacrotask();
    expect(slow.every((each) => each.deliveries === 1)).toBe(true);
  });
});

const Echo = defineProtocol('BudgetEcho', { echo: ask<[value: number], number>() });

@serves(Echo)
class EchoEndpoint extends RpcEndpoint {
  echo(value: number): number {
    return value;
  }
}

describe('a burst of local asks', () => {
  test('lets the event loop turn: an immediate scheduled at its start runs long before it ends', async () => {
    const service = new NactRpcService({ name: 'burst', logger: new RecordingLogger() });
    try {
      const endpoint = new EchoEndpoint(service, 'echo');
      await endpoint.start();
      const gateway = await service.connect(endpoint.getAddress(), Echo);
      // More than MESSAGES_PER_TURN (16,384) plus a batch fit in a quarter of it, whatever the clock says.
      const total = 100_000;
      let done = 0;
      let doneWhenImmediateRan = -1;
      setImmediate(() => (doneWhenImmediateRan = done));
      // 10,000 asks in flight, each answered one followed by the next, until `total`.
      let sent = 0;
      const worker = async (): Promise<void> => {
        while (sent < total) {
          sent++;
          await gateway.echo(sent);
          done++;
        }
      };
      await Promise.all(Array.from({ length: 10_000 }, worker));
      expect(done).toBe(total);
      expect(doneWhenImmediateRan).toBeGreaterThanOrEqual(0);
      expect(doneWhenImmediateRan).toBeLessThan(total / 4);
    } finally {
      await service.closeAsync();
    }
  }, 30_000);
});
