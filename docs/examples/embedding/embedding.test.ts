import { dispatch, query, stop } from 'nact';
import type { NactRpcService } from '@nact-rpc/runtime-nact';
import { Inbox } from '@nact-rpc/testing';
import { spawnClerk, spawnShop, type PlaceOrder } from './actors';
import { hostServices } from './hosting';
import { OrderEndpoint, OrderProtocol, spawnAuditLog } from './orders';

describe('docs/embedding.md', () => {
  test("three services share the user's system; closing them leaves it running", async () => {
    const { system, services } = await hostServices();
    try {
      expect(services.map((service) => service.getName())).toEqual(['orders', 'orders-api', 'orders-internal']);
      await Promise.all(services.map((service) => service.closeAsync()));
      const audit = spawnAuditLog(system);
      dispatch(audit, { type: 'record', line: 'still running' });
      expect(await query(audit, (replyTo) => ({ type: 'lines', replyTo }), 1_000)).toEqual(['still running']);
    } finally {
      stop(system);
    }
  });

  test('plain actors place orders through a gateway and with invocation messages; the endpoint reports to the audit log', async () => {
    const { system, services } = await hostServices();
    const [service] = services as [NactRpcService, ...NactRpcService[]];
    try {
      const audit = spawnAuditLog(system);
      const orders = new OrderEndpoint(service, audit);
      await orders.start();

      const clerk = spawnClerk(system, service, orders.getAddress());
      const ask = (replyTo: PlaceOrder['replyTo']): PlaceOrder => ({ order: { item: 'apples', count: 3 }, replyTo });
      expect(await query(clerk, ask, 1_000)).toBe('order-1');

      const replies = new Inbox<string>();
      const shop = spawnShop(system, service, orders, (line) => replies.push(line));
      dispatch(shop, { order: { item: 'pears', count: 2 } });
      expect(await replies.next()).toBe('7: placed order-2');

      const gateway = await service.connect(orders.getAddress(), OrderProtocol);
      expect(await gateway.place({ item: 'plums', count: 1 })).toBe('order-3');
      const lines = (await query(
        audit,
        (replyTo) => ({ type: 'lines' as const, replyTo }),
        1_000,
      )) as readonly string[];
      expect(lines).toEqual(['placed order-1', 'placed order-2', 'placed order-3']);
    } finally {
      await Promise.all(services.map((each) => each.closeAsync()));
      stop(system);
    }
  });
});
