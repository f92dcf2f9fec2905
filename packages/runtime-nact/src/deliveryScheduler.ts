import {
  isDeliveryBudgetMessageOnly,
  runtimeImmediate,
  runtimeMicrotask,
  runtimeNextTimers,
} from '@nact-rpc/core/internal';

/**
 * When mailboxes are delivered. A macrotask costs a turn of the event loop, a system call to
 * poll for I/O included, so woken mailboxes are delivered in microtasks, right after the code
 * that posted to them, while the turn has budget for that. Past the budget, woken mailboxes
 * wait for the next macrotask, so that I/O and timers get their turn; they are then delivered,
 * in the order they were woken. Either way one delivery runs at a time per endpoint, never
 * inside the code that posted.
 *
 * **One delivery per microtask.** Each microtask delivers one woken mailbox (one batch, at
 * most `MAX_BATCH` messages of one endpoint) and queues the next delivery as a new microtask.
 * The promise callbacks that the batch's answers trigger were queued first, so they run
 * before the next delivery: the caller's code that an answer resumes (often making the next
 * call) is work of the same turn, and the clock read before the next delivery sees it.
 *
 * **What one turn may run.** The budget is counted in messages and in time, never in
 * deliveries. Between two macrotasks, no delivery starts once the turn has delivered
 * {@link MESSAGES_PER_TURN} messages, or once {@link TURN_BUDGET_MS} have passed since its first
 * delivery; the clock is read before each delivery once {@link TIME_CHECK_MESSAGES} messages
 * have been delivered since it was last read. What runs past the budget is the last batch
 * started and the callbacks its answers trigger, and the second hop of callbacks of the batch
 * before it: a turn of local calls lasts about the budget plus one or two batches' worth of
 * callers' code before the event loop reads sockets and fires timers again.
 *
 * **I/O gets a budget of its own.** Deliveries past the budget are deferred to the check phase
 * (`setImmediate`). A spent budget is also renewed in the timers phase of the next turn, so that
 * what the poll phase then reads (a remote call) is delivered at once, from its own budget,
 * and its answer written in the same turn, instead of waiting behind the deferred deliveries
 * for a turn more. One turn of the event loop thus runs at most two budgets of deliveries: the
 * poll phase's and the check phase's.
 *
 * **Calls from other processes go first.** A mailbox woken by a call read from the network
 * while the budget is spent waits at the front of the deferred ones, not behind every local
 * mailbox deferred before it: a remote caller waits at most for the turn in progress, however
 * many local mailboxes have work.
 *
 * **A deterministic simulation** (see `useMessageOnlyDeliveryBudget`) counts messages only,
 * and a spent budget is renewed by the check-phase tasks alone, never by a real timer: what one
 * turn delivers then depends on the run's seed, not on how fast the machine is.
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
export const TURN_BUDGET_MS = 2;

/** How many messages may be delivered between two looks at the clock. */
export const TIME_CHECK_MESSAGES = 64;

let delivered = 0;
let nextTimeCheck = TIME_CHECK_MESSAGES;
/** `performance.now()` at the turn's first delivery, or -1 before it. */
let turnStart = -1;
let exhausted = false;
let refillScheduled = false;
/** Mailboxes woken and not yet delivered, from `wokenHead` on. */
let woken: (DeliveryTarget | undefined)[] = [];
let wokenHead = 0;
let drainScheduled = false;
let deferred: DeliveryTarget[] = [];
/** Deferred mailboxes woken by calls from other processes: delivered before {@link deferred}. */
let urgent: DeliveryTarget[] = [];
let deferredScheduled = false;
let renewalScheduled = false;

function refill(): void {
  delivered = 0;
  nextTimeCheck = TIME_CHECK_MESSAGES;
  turnStart = -1;
  exhausted = false;
  refillScheduled = false;
}

/** Whether this turn has spent its budget; looks at the clock only every few dozen messages. */
function overBudget(): boolean {
  if (exhausted) return true;
  if (delivered >= nextTimeCheck) {
    nextTimeCheck = delivered + TIME_CHECK_MESSAGES;
    const outOfTime = !isDeliveryBudgetMessageOnly() && performance.now() - turnStart >= TURN_BUDGET_MS;
    if (delivered >= MESSAGES_PER_TURN || outOfTime) spend();
  }
  return exhausted;
}

/** Marks the budget spent, and has it renewed for the poll phase of the next turn. */
function spend(): void {
  exhausted = true;
  if (!renewalScheduled && !isDeliveryBudgetMessageOnly()) {
    renewalScheduled = true;
    runtimeNextTimers(renew);
  }
}

function renew(): void {
  renewalScheduled = false;
  refill();
}

/** Delivers the next woken mailbox, then queues itself again while any is left. */
function drain(): void {
  if (overBudget()) {
    const rest = woken.slice(wokenHead) as DeliveryTarget[];
    woken = [];
    wokenHead = 0;
    drainScheduled = false;
    defer(rest);
    return;
  }
  const target = woken[wokenHead] as DeliveryTarget;
  woken[wokenHead++] = undefined;
  // Mailboxes it wakes (itself too, when its batch was full) join `woken`.
  delivered += target.deliverNow();
  if (wokenHead < woken.length) {
    runtimeMicrotask(drain);
    return;
  }
  woken = [];
  wokenHead = 0;
  drainScheduled = false;
}

function defer(targets: DeliveryTarget[], first = false): void {
  for (const target of targets) (first ? urgent : deferred).push(target);
  if (!deferredScheduled) {
    deferredScheduled = true;
    runtimeImmediate(deliverDeferred);
  }
}

function deliverDeferred(): void {
  deferredScheduled = false;
  refill();
  const first = urgent;
  const targets = deferred;
  urgent = [];
  deferred = [];
  // Each goes through the budget again, so a long list still yields to the event loop.
  for (const target of first) scheduleDelivery(target, true);
  for (const target of targets) scheduleDelivery(target);
}

/** Whether this turn's budget is spent: woken mailboxes now wait for a renewal. For tests. */
export function isBudgetSpent(): boolean {
  return exhausted;
}

/**
 * Schedules the delivery of a woken mailbox.
 * @param fromNetwork - It was woken by a call from another process: if it must wait for the
 *   next turn, it goes before the mailboxes deferred already.
 */
export function scheduleDelivery(target: DeliveryTarget, fromNetwork = false): void {
  if (overBudget()) {
    defer([target], fromNetwork);
    return;
  }
  if (!refillScheduled) {
    refillScheduled = true;
    runtimeImmediate(refill);
  }
  if (turnStart < 0 && !isDeliveryBudgetMessageOnly()) turnStart = performance.now();
  woken.push(target);
  if (!drainScheduled) {
    drainScheduled = true;
    runtimeMicrotask(drain);
  }
}
