import {
  isBudgetSpent,
  MESSAGES_PER_TURN,
  scheduleDelivery,
  TIME_CHECK_MESSAGES,
  TURN_BUDGET_MS,
  type DeliveryTarget,
} from '../src/deliveryScheduler';
import { ask, defineProtocol, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '@nact-rpc/testing';

/** A mailbox stand-in: each delivery reports `batch` messages, and records the turn it ran in. */
function target(batch: number): DeliveryTarget & { deliveries: number; turns: number[] } {
  const stub = {
    deliveries: 0,
    turns: [] as number[],
    deliverNow(): number {
      stub.deliveries++;
      stub.turns.push(turn);
      return batch;
    },
  };
  return stub;
}

/** The turn of the event loop: 0 until the first macrotask scheduled by {@link countTurns} runs. */
let turn = 0;

/** Starts counting turns: each macrotask scheduled from now on bumps {@link turn} when it runs first. */
function countTurns(): void {
  turn = 0;
  setImmediate(() => turn++);
}

/** Resolves after the current macrotask and the microtasks it queued. */
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves once the deliveries of this turn and of the next ten have run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 11; i++) await nextMacrotask();
}

describe('the delivery budget of one turn of the event loop', () => {
  afterEach(() => jest.restoreAllMocks());

  test('is counted in messages: past MESSAGES_PER_TURN, woken mailboxes wait for the next macrotask', async () => {
    // The time stands still, so that only the messages count, however slow the machine is.
    jest.spyOn(performance, 'now').mockReturnValue(1_000);
    const batch = 1024;
    const within = MESSAGES_PER_TURN / batch;
    countTurns();
    const targets = Array.from({ length: within + 3 }, () => target(batch));
    for (const each of targets) scheduleDelivery(each);
    await settle();
    // This turn delivered as many full batches as the budget holds, and no more; the next the rest.
    expect(targets.map((each) => each.turns)).toEqual([...Array.from({ length: within }, () => [0]), [1], [1], [1]]);
  });

  test('is counted in time too: once TURN_BUDGET_MS have passed, the rest waits for the next macrotask', async () => {
    let now = 1_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    countTurns();
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
    await settle();
    const first = slow.filter((each) => each.turns[0] === 0).length;
    expect(first).toBe(TURN_BUDGET_MS);
    expect(slow.every((each) => each.deliveries === 1)).toBe(true);
  });

  test("a spent budget is renewed for the next turn's timers and I/O: what they wake is delivered at once", async () => {
    const batch = 1024;
    // Enough full batches, each taking 50 µs, to keep the check phases of many turns busy.
    const busy = Array.from({ length: (64 * MESSAGES_PER_TURN) / batch }, () => {
      const each = target(batch);
      const deliver = each.deliverNow.bind(each);
      each.deliverNow = () => {
        const until = performance.now() + 0.05;
        while (performance.now() < until);
        return deliver();
      };
      return each;
    });
    const deliveredBusy = (): number => busy.reduce((sum, each) => sum + each.deliveries, 0);
    for (const each of busy) scheduleDelivery(each);
    // Wait for a check phase in which deferred deliveries spent the budget.
    while (!isBudgetSpent()) await nextMacrotask();
    const woken = await new Promise<{ atWake: number; atDelivery: number; spent: boolean }>((resolve) => {
      // A timer of the next turn (as a socket's data in its poll phase) wakes a mailbox.
      setTimeout(() => {
        const atWake = deliveredBusy();
        const spent = isBudgetSpent();
        scheduleDelivery({
          deliverNow(): number {
            resolve({ atWake, atDelivery: deliveredBusy(), spent });
            return 1;
          },
        });
      }, 0);
    });
    expect(woken.spent).toBe(false);
    // Delivered right after the timer, not after the check phase's deferred batches.
    expect(woken.atDelivery).toBe(woken.atWake);
    expect(woken.atWake).toBeLessThan(busy.length);
    // The rest is delivered too, a budget per turn; none of it outlives the test.
    while (deliveredBusy() < busy.length) await nextMacrotask();
    expect(busy.every((each) => each.deliveries === 1)).toBe(true);
  });

  test('a mailbox woken by a call from another process waits before the local ones deferred already', async () => {
    countTurns();
    // The time stands still, so that the budget is spent by messages alone, at a known point.
    jest.spyOn(performance, 'now').mockReturnValue(1_000);
    const batch = 1024;
    // More local work than one turn holds: the last three wait for the next turn.
    const local = Array.from({ length: MESSAGES_PER_TURN / batch + 3 }, () => target(batch));
    for (const each of local) scheduleDelivery(each);
    // The microtask deliveries run until the budget is spent and the last three are deferred.
    while (!isBudgetSpent()) await Promise.resolve();
    const order: string[] = [];
    for (const each of local.slice(-3)) {
      const deliver = each.deliverNow.bind(each);
      each.deliverNow = () => {
        order.push('local');
        return deliver();
      };
    }
    const remote = {
      deliverNow(): number {
        order.push('remote');
        return 1;
      },
    };
    scheduleDelivery(remote, true);
    await settle();
    expect(order).toEqual(['remote', 'local', 'local', 'local']);
  });

  test('each delivery runs after the promise callbacks the one before it triggered', async () => {
    const order: string[] = [];
    const answering = (name: string): DeliveryTarget => ({
      deliverNow(): number {
        order.push(`deliver ${name}`);
        // An answer: the caller's code resumes in a promise callback.
        void Promise.resolve().then(() => order.push(`caller of ${name}`));
        return 1;
      },
    });
    scheduleDelivery(answering('a'));
    scheduleDelivery(answering('b'));
    scheduleDelivery(answering('c'));
    await settle();
    expect(order).toEqual(['deliver a', 'caller of a', 'deliver b', 'caller of b', 'deliver c', 'caller of c']);
  });

  test("the clock sees the callers' code that answers resume: their time counts against the budget", async () => {
    let now = 5_000;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    countTurns();
    // Deliveries take no time; the caller's code each answer resumes takes 1 ms.
    const targets = Array.from({ length: 10 }, () => {
      const each = target(TIME_CHECK_MESSAGES);
      const deliver = each.deliverNow.bind(each);
      each.deliverNow = () => {
        void Promise.resolve().then(() => (now += 1));
        return deliver();
      };
      return each;
    });
    for (const each of targets) scheduleDelivery(each);
    await settle();
    // The clock read before the third delivery sees the 2 ms the first two answers' callers took.
    const first = targets.filter((each) => each.turns[0] === 0).length;
    expect(first).toBe(TURN_BUDGET_MS);
    expect(targets.every((each) => each.deliveries === 1)).toBe(true);
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
