/**
 * When a mailbox's messages are delivered. nact delivers each message in its own macrotask
 * (a `setImmediate`), and a macrotask costs a turn of the event loop, a system call to poll
 * for I/O included. So a woken mailbox is delivered in a microtask, right after the code
 * that posted to it, while the event loop has budget for that; past the budget, the wake-up
 * goes through the endpoint's nact actor, a macrotask, so that I/O and timers get their turn.
 * Either way one delivery runs at a time per endpoint, never inside the code that posted.
 */

/** How many mailbox deliveries may run as microtasks between two macrotasks. */
export const MICROTASK_DELIVERIES_PER_TURN = 1000;

let budget = MICROTASK_DELIVERIES_PER_TURN;
let refillScheduled = false;

function refill(): void {
  budget = MICROTASK_DELIVERIES_PER_TURN;
  refillScheduled = false;
}

/**
 * Schedules a delivery: `inMicrotask` now if the budget allows, else `viaActor`.
 * @param inMicrotask - Delivers directly; called in a microtask.
 * @param viaActor - Sends the endpoint's nact actor the message that makes it deliver.
 */
export function scheduleDelivery(inMicrotask: () => void, viaActor: () => void): void {
  if (budget === 0) {
    viaActor();
    return;
  }
  budget--;
  if (!refillScheduled) {
    refillScheduled = true;
    setImmediate(refill);
  }
  queueMicrotask(inMicrotask);
}
