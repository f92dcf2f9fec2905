/**
 * When mailboxes are delivered. nact delivers each message in its own macrotask (a
 * `setImmediate`), and a macrotask costs a turn of the event loop, a system call to poll for
 * I/O included. So woken mailboxes are delivered in a microtask, right after the code that
 * posted to them, while the event loop has budget for that: one microtask delivers every
 * mailbox woken meanwhile, in the order they were woken. Past the budget, a wake-up goes
 * through the endpoint's nact actor, a macrotask, so that I/O and timers get their turn.
 * Either way one delivery runs at a time per endpoint, never inside the code that posted.
 */

/** A mailbox that can be delivered. */
export interface DeliveryTarget {
  /** Delivers the mailbox now. */
  deliverNow(): void;
  /** Sends the endpoint's nact actor the message that makes it deliver the mailbox. */
  deliverViaActor(): void;
}

/** How many mailbox deliveries may run as microtasks between two macrotasks. */
export const MICROTASK_DELIVERIES_PER_TURN = 1000;

let budget = MICROTASK_DELIVERIES_PER_TURN;
let refillScheduled = false;
let woken: DeliveryTarget[] = [];
let drainScheduled = false;

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

/** Schedules the delivery of a woken mailbox. */
export function scheduleDelivery(target: DeliveryTarget): void {
  if (budget === 0) {
    target.deliverViaActor();
    return;
  }
  budget--;
  if (!refillScheduled) {
    refillScheduled = true;
    setImmediate(refill);
  }
  woken.push(target);
  if (!drainScheduled) {
    drainScheduled = true;
    queueMicrotask(drain);
  }
}
