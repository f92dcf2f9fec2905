import { isDeliveryBudgetMessageOnly, useMessageOnlyDeliveryBudget } from '@nact-rpc/core/internal';

describe('the message-only delivery budget', () => {
  test('holds until every use is released; a release called twice releases once', () => {
    expect(isDeliveryBudgetMessageOnly()).toBe(false);
    const first = useMessageOnlyDeliveryBudget();
    const second = useMessageOnlyDeliveryBudget();
    first();
    first();
    expect(isDeliveryBudgetMessageOnly()).toBe(true);
    second();
    expect(isDeliveryBudgetMessageOnly()).toBe(false);
  });
});
