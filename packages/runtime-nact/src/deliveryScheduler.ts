import { runtimeImmediate, runtimeMicrotask } from '@nact-rpc/core/internal';

/**
 * When mailboxes are delivered. A macrotask costs a turn of the event loop, a system call to
 * poll for I/O included, so woken mailboxes are delivered in a microtask, right after the
 * code that posted to them, while the event loop has budget for that: one microtask delivers
 * every mailbox woken meanwhile, in the order they were woken. Past the budget, woken
 * mailboxes wait for the next macrotask, so that I/O and timers get their turn; they are
 * then delivered together, in order. Either way one delivery runs at a time per endpoint,
 * never inside the code that posted.
 *
 * Both kinds of task come from `runtimeImmediate`/`runtimeMicrotask`, which fake timers do
 * not replace: delivery never waits for a test to advance its clock. The state below is
 * process-wide (the budget is the event loop's, shared by every service) and cannot be left
 * stuck: every scheduled task runs, and targets never throw.
 */

/** A mailbox that can be delivered. */
export interface DeliveryTarget {
  /** Delivers the mailbox now. It reports its own failures and never throws. */
  deliverNow(): void;
}

/** How many mailbox deliveries may run as microtasks between two macrotasks. */
export const MICROTASK_DELIVERIES_PER_TURN = 1000;

let budget = MICROTASK_DELIVERIES_PER_TURN;
let refillScheduled = false;
let woken: DeliveryTarget[] = [];
let drainScheduled = false;
let deferred: DeliveryTarget[] = [];
let deferredScheduled = false;

function refill(): void {
  budget = MICROTASK_DELIVERIES_PER_TURN;
  refillScheduled = false;
}

function drain(): void {
  drainScheduled = false;
  // Mailboxes woken while this runs are appended and delivered in the same loop.
  for (let i = 0; i < woken.length; i++) (woken[i] as DeliveryTarget).deliverNow();
  woken = [];
}

function deliverDeferred(): void {
  deferredScheduled = false;
  refill();
  const targets = deferred;
  deferred = [];
  // Each goes through the budget again, so a long list still yields to the event loop.
  for (const target of targets) scheduleDelivery(target);
}

/** Schedules the delivery of a woken mailbox. */
export function scheduleDelivery(target: DeliveryTarget): void {
  if (budget === 0) {
    deferred.push(target);
    if (!deferredScheduled) {
      deferredScheduled = true;
      runtimeImmediate(deliverDeferred);
    }
    return;
  }
  budget--;
  if (!refillScheduled) {
    refillScheduled = true;
    runtimeImmediate(refill);
  }
  woken.push(target);
  if (!drainScheduled) {
    drainScheduled = true;
    runtimeMicrotask(drain);
  }
}
