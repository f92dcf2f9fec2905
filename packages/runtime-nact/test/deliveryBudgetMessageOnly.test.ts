import { useMessageOnlyDeliveryBudget } from '@nact-rpc/core/internal';
import {
  isBudgetSpent,
  scheduleDelivery,
  TIME_CHECK_MESSAGES,
  TURN_BUDGET_MS,
  type DeliveryTarget,
} from '../src/deliveryScheduler';

/** Resolves after the current macrotask and the microtasks it queued. */
const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Deliveries that each report enough messages for the clock to be read, and each take 1 ms of processor time. */
function slowTargets(count: number, clock: { now: number }): (DeliveryTarget & { deliveredFirst: boolean })[] {
  let firstTurn = true;
  void nextMacrotask().then(() => (firstTurn = false));
  return Array.from({ length: count }, () => {
    const target = {
      deliveredFirst: false,
      deliverNow(): number {
        clock.now += 1;
        target.deliveredFirst = firstTurn;
        return TIME_CHECK_MESSAGES;
      },
    };
    return target;
  });
}

describe('the delivery budget while a deterministic simulation runs', () => {
  afterEach(() => jest.restoreAllMocks());

  test('counts messages only: deliveries that take time do not spend it, and time counts again once released', async () => {
    const clock = { now: 1_000 };
    jest.spyOn(performance, 'now').mockImplementation(() => clock.now);
    const release = useMessageOnlyDeliveryBudget();
    const inSimulation = slowTargets(10, clock);
    for (const target of inSimulation) scheduleDelivery(target);
    for (let i = 0; i < 5; i++) await nextMacrotask();
    release();
    expect(inSimulation.every((target) => target.deliveredFirst)).toBe(true);
    expect(isBudgetSpent()).toBe(false);

    const afterwards = slowTargets(10, clock);
    for (const target of afterwards) scheduleDelivery(target);
    for (let i = 0; i < 5; i++) await nextMacrotask();
    expect(afterwards.filter((target) => target.deliveredFirst)).toHaveLength(TURN_BUDGET_MS);
  });
});
