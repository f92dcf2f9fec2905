// docs/embedding.md: the orders endpoint, and the audit log, a plain nact actor it reports to.
import { dispatch, spawn, type ActorSystemRef, type Ref } from 'nact';
import { ask, defineProtocol, RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';

export interface Order {
  readonly item: string;
  readonly count: number;
}
export type OrderId = string;

export const OrderProtocol = defineProtocol('OrderGateway', {
  place: ask<[order: Order], OrderId>(),
});

/** The messages of the audit log: a line to record, or a request for the lines so far. */
export type AuditMessage =
  | { readonly type: 'record'; readonly line: string }
  | { readonly type: 'lines'; readonly replyTo: Ref<readonly string[]> };

/** Spawns the audit log under `parent`. */
export function spawnAuditLog(parent: ActorSystemRef): Ref<AuditMessage> {
  return spawn(
    parent,
    (lines: readonly string[], message: AuditMessage) => {
      if (message.type === 'record') return [...lines, message.line];
      dispatch(message.replyTo, lines);
      return lines;
    },
    'audit-log',
    { initialState: [] as readonly string[] },
  );
}

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
