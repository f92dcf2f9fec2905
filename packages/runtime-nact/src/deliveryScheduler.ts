import { runtimeImmediate, runtimeMicrotask } from '@nact-rpc/core/internal';

/**
 * When mailboxes are delivered. A macrotask costs a turn of the event loop, a system call to
 * poll for I/O included, so woken mailboxes are delivered in a microtask, right after the
 * code that posted to them, while the turn has budget for that: one microtask delivers every
 * mailbox woken meanwhile, in the order they were woken. Past the budget, woken mailboxes wait
 * for the next macrotask, so that I/O and timers get their turn; they are then delivered
 * together, in order. Either way one delivery runs at a time per endpoint, never inside the
 * code that posted.
 *
 * **What one turn may run.** The budget is counted in messages and in time, never in
 * deliveries (one delivery handles up to a batch of messages). Between two macrotasks, the
 * microtask deliveries stop being started once the turn has delivered
 * {@link MESSAGES_PER_TURN} messages, or once {@link TURN_BUDGET_MS} have passed since its
 * first delivery (checked every {@link TIME_CHECK_MESSAGES} messages and between deliveries).
 * A delivery already started finishes its batch (at most `MAX_BATCH` messages of one
 * endpoint), and the promise callbacks its answers trigger run: so a turn spends about the
 * budget plus one batch, a few milliseconds, before the event loop reads sockets and fires
 * timers again.
 *
 * Both kinds of task come from `runtimeImmediate`/`runtimeMicrotask`, which fake timers do
 * not replace: delivery never waits for a test to advance its clock. The state below is
 * process-wide (the budget is the event loop's, shared by every service) and cannot be left
 * stuck: every scheduled task runs, and targets never throw.
 */

/** A mailbox that can be delivered. */
export interface DeliveryTarget {
  /**
   * Delivers the mailbox now. It reports its own failures and never throws.
   * @returns How many messages it delivered.
   */
  deliverNow(): number;
}

/** The most messages the microtask deliveries of one turn of the event loop may run. */
export const MESSAGES_PER_TURN = 16_384;

/** The longest the microtask deliveries of one turn may go on, in milliseconds. */
export const TURN_BUDGET_MS = 4;

/** How many messages may be delivered between two looks at the clock. */
export const TIME_CHECK_MESSAGES = 256;

let delivered = 0;
let nextTimeCheck = TIME_CHECK_MESSAGES;
/** `performance.now()` at the turn's first delivery, or -1 before it. */
let turnStart = -1;
let exhausted = false;
let refillScheduled = false;
let woken: DeliveryTarget[] = [];
let drainScheduled = false;
let deferred: DeliveryTarget[] = [];
let deferredScheduled = false;

function refill(): void {
  delivered = 0;
  nextTimeCheck = TIME_CHECK_MESSAGES;
  turnStart = -1;
  exhausted = false;
  refillScheduled = false;
}

/** Whether this turn has spent its budget; looks at the clock only every few hundred messages. */
function overBudget(): boolean {
  if (exhausted) return true;
  if (delivered >= nextTimeCheck) {
    nextTimeCheck = delivered + TIME_CHECK_MESSAGES;
    if (delivered >= MESSAGES_PER_TURN || performance.now() - turnStart >= TURN_BUDGET_MS) exhausted = true;
  }
  return exhausted;
}

function drain(): void {
  drainScheduled = false;
  // Mailboxes woken while this runs are appended and delivered in the same loop, while the
  // budget lasts; past it, the rest wait for the next macrotask.
  for (let i = 0; i < woken.length; i++) {
    if (overBudget()) {
      defer(woken.slice(i));
      break;
    }
    delivered += (woken[i] as DeliveryTarget).deliverNow();
  }
  woken = [];
}

function defer(targets: DeliveryTarget[]): void {
  for (const target of targets) deferred.push(target);
  if (!deferredScheduled) {
    deferredScheduled = true;
    runtimeImmediate(deliverDeferred);
  }
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
  if (overBudget()) {
    defer([target]);
    return;
  }
  if (!refillScheduled) {
    refillScheduled = true;
    runtimeImmediate(refill);
  }
  if (turnStart < 0) turnStart = performance.now();
  woken.push(target);
  if (!drainScheduled) {
    drainScheduled = true;
    runtimeMicrotask(drain);
  }
}
