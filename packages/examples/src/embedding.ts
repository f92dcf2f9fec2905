/**
 * Embedding: a service that runs in the nact actor system its user already has. A plain nact
 * actor (the shop) calls an endpoint (the inventory) with invocation messages and through a
 * gateway; the endpoint reports to another plain actor (the audit log); closing the service
 * leaves the user's actors and system running.
 */
import { dispatch, query, spawn, start, stop, type ActorContext, type ActorSystemRef, type Ref } from 'nact';
import { ask, defineProtocol, RpcEndpoint, serves, tell, type RpcService } from '@nact-rpc/core';
import {
  invocationMessage,
  isActorInvocationReply,
  NactRpcService,
  type ActorInvocation,
  type ActorInvocationReply,
} from '@nact-rpc/runtime-nact';

/** The inventory's protocol. */
export const InventoryProtocol = defineProtocol('InventoryGateway', {
  /** Takes `count` items out of stock and answers what is left; fails if there are not enough. */
  reserve: ask<[item: string, count: number], number>(),
  stockOf: ask<[item: string], number>(),
  restock: tell<[item: string, count: number]>(),
});

/** The messages of the audit log, a plain nact actor of the user's. */
export type AuditMessage =
  | { readonly type: 'record'; readonly line: string }
  | { readonly type: 'lines'; readonly replyTo: Ref<readonly string[]> };

/** Spawns the audit log: it keeps the lines it is sent, and answers them when asked. */
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

/** An endpoint that holds a plain actor's reference, and sends it messages. */
@serves(InventoryProtocol)
export class InventoryEndpoint extends RpcEndpoint {
  private readonly stock = new Map<string, number>();

  constructor(
    service: RpcService,
    private readonly audit: Ref<AuditMessage>,
  ) {
    super(service, 'inventory');
  }

  reserve(item: string, count: number): number {
    const left = this.stockOf(item) - count;
    if (left < 0) throw new RangeError(`only ${this.stockOf(item)} ${item} left`);
    this.stock.set(item, left);
    dispatch(this.audit, { type: 'record', line: `reserved ${count} ${item}` });
    return left;
  }

  stockOf(item: string): number {
    return this.stock.get(item) ?? 0;
  }

  restock(item: string, count: number): void {
    this.stock.set(item, this.stockOf(item) + count);
    dispatch(this.audit, { type: 'record', line: `restocked ${count} ${item}` });
  }
}

/** The messages of the shop, a plain nact actor: orders, stock checks, and the inventory's replies. */
type ShopMessage =
  | { readonly type: 'order'; readonly item: string; readonly count: number; readonly replyTo: Ref<string> }
  | { readonly type: 'check'; readonly item: string; readonly replyTo: Ref<string> }
  | ActorInvocationReply<number>;

interface ShopState {
  readonly nextOrder: number;
  /** Orders sent to the inventory and not answered yet, by correlation id. */
  readonly pending: ReadonlyMap<number, { readonly describe: string; readonly replyTo: Ref<string> }>;
}

/** Spawns the shop: it orders with invocation messages, and checks the stock through a gateway. */
function spawnShop(system: ActorSystemRef, service: NactRpcService, inventory: InventoryEndpoint): Ref<ShopMessage> {
  const inventoryActor: Ref<ActorInvocation> = service.actorOf(inventory);
  return spawn(
    system,
    async (
      state: ShopState,
      message: ShopMessage,
      context: ActorContext<ShopMessage, ActorSystemRef>,
    ): Promise<ShopState> => {
      if (isActorInvocationReply(message)) {
        const order = state.pending.get(message.correlationId as number);
        if (order !== undefined) {
          dispatch(
            order.replyTo,
            message.type === 'nact-rpc/result'
              ? `ordered ${order.describe}, ${String(message.value)} left`
              : `order of ${order.describe} refused: ${String(message.error)}`,
          );
        }
        const pending = new Map(state.pending);
        pending.delete(message.correlationId as number);
        return { ...state, pending };
      }
      if (message.type === 'check') {
        // A gateway works inside an actor's handler like anywhere else.
        const gateway = await service.connect(inventory.getAddress(), InventoryProtocol);
        dispatch(message.replyTo, `the shop sees ${await gateway.stockOf(message.item)} ${message.item} in stock`);
        return state;
      }
      const correlationId = state.nextOrder;
      const reserve = invocationMessage(InventoryProtocol, 'reserve', [message.item, message.count], {
        replyTo: context.self,
        correlationId,
      });
      dispatch(inventoryActor, reserve);
      const order = { describe: `${message.count} ${message.item}`, replyTo: message.replyTo };
      return { nextOrder: correlationId + 1, pending: new Map(state.pending).set(correlationId, order) };
    },
    'shop',
    { initialState: { nextOrder: 1, pending: new Map() } },
  );
}

/** Runs the embedding example, printing each step with `print`. */
export async function runEmbedding(print: (line: string) => void): Promise<void> {
  const system = start();
  try {
    const audit = spawnAuditLog(system);
    const service = new NactRpcService({ system, name: 'shop' });
    const inventory = new InventoryEndpoint(service, audit);
    await inventory.start();
    print(`inventory at ${inventory.getAddress()}, in the user's nact system`);

    const gateway = await service.connect(inventory.getAddress(), InventoryProtocol);
    gateway.restock('apples', 5);
    print(`restocked through a gateway: ${await gateway.stockOf('apples')} apples`);

    const shop = spawnShop(system, service, inventory);
    const ask = (make: (replyTo: Ref<string>) => ShopMessage): Promise<string> => query(shop, make, 5_000);
    print(await ask((replyTo) => ({ type: 'order', item: 'apples', count: 3, replyTo })));
    print(await ask((replyTo) => ({ type: 'order', item: 'apples', count: 4, replyTo })));
    print(await ask((replyTo) => ({ type: 'check', item: 'apples', replyTo })));

    await service.closeAsync();
    const lines = await query(
      audit,
      (replyTo: Ref<readonly string[]>): AuditMessage => ({ type: 'lines', replyTo }),
      5_000,
    );
    print(`service closed; the audit log still answers: ${lines.join(', ')}`);
  } finally {
    stop(system);
  }
}
