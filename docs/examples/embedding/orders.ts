// docs/embedding.md: the orders endpoint, and the audit log, a plain nact actor it reports to.
import { dispatch, type Ref } from 'nact';
import { spawnAuditLog, type AuditMessage } from '@nact-rpc/examples';
import { ask, defineProtocol, RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';

export interface Order {
  readonly item: string;
  readonly count: number;
}
export type OrderId = string;

export const OrderProtocol = defineProtocol('OrderGateway', {
  place: ask<[order: Order], OrderId>(),
});

/** The audit log is the one of the embedding example. */
export { spawnAuditLog, type AuditMessage };

// #region endpoint
@serves(OrderProtocol)
class OrderEndpoint extends RpcEndpoint {
  private readonly orders: Order[] = [];

  constructor(
    service: RpcService,
    private readonly audit: Ref<AuditMessage>,
  ) {
    super(service, 'orders');
  }
  place(order: Order): OrderId {
    const id = this.book(order);
    dispatch(this.audit, { type: 'record', line: `placed ${id}` });
    return id;
  }
  private book(order: Order): OrderId {
    this.orders.push(order);
    return `order-${this.orders.length}`;
  }
}
// #endregion endpoint

export { OrderEndpoint };
