// docs/embedding.md, "Your actors call endpoints": through a gateway, and with invocation messages.
// #region invocationImports
import { dispatch, spawn } from 'nact';
import { invocationMessage, isActorInvocationReply } from '@nact-rpc/runtime-nact';
// #endregion invocationImports
import type { ActorContext, ActorSystemRef, Ref } from 'nact';
import type { ActorInvocationReply, NactRpcService } from '@nact-rpc/runtime-nact';
import { OrderProtocol, type Order, type OrderEndpoint, type OrderId } from './orders';

/** What the clerk is asked: place an order, and answer its id. */
export interface PlaceOrder {
  readonly order: Order;
  readonly replyTo: Ref<OrderId>;
}

/** Spawns a clerk that places orders through a gateway to the endpoint at `address`. */
export function spawnClerk(system: ActorSystemRef, service: NactRpcService, address: string): Ref<PlaceOrder> {
  // #region gateway
  const clerk = spawn(system, async (state: undefined, message: PlaceOrder) => {
    const orders = await service.connect(address, OrderProtocol);
    dispatch(message.replyTo, await orders.place(message.order));
    return state;
  });
  // #endregion gateway
  return clerk;
}

/** What the shop receives: an order to place, or the endpoint's reply. */
export type ShopMessage = { readonly order: Order } | ActorInvocationReply<OrderId>;

/** The shop's state: the replies received, one line each. */
export type ShopState = readonly string[];

/** Spawns a shop that orders with invocation messages, keeps the replies, and shows each to `onReply`. */
export function spawnShop(
  system: ActorSystemRef,
  service: NactRpcService,
  orderEndpoint: OrderEndpoint,
  onReply: (line: string) => void,
): Ref<ShopMessage> {
  const handleReply = (state: ShopState, message: ActorInvocationReply<OrderId>): ShopState => {
    const outcome =
      message.type === 'nact-rpc/result' ? `placed ${message.value}` : `refused: ${String(message.error)}`;
    const line = `${String(message.correlationId)}: ${outcome}`;
    onReply(line);
    return [...state, line];
  };
  // #region invocation
  const orders = service.actorOf(orderEndpoint); // or service.actorOf(address)

  const shop = spawn(
    system,
    (state: ShopState, message: ShopMessage, ctx: ActorContext<ShopMessage, ActorSystemRef>) => {
      if (isActorInvocationReply(message)) {
        // { type: 'nact-rpc/result', correlationId: 7, protocol, method, value }
        // { type: 'nact-rpc/failure', correlationId: 7, protocol, method, error }
        return handleReply(state, message);
      }
      dispatch(
        orders,
        invocationMessage(OrderProtocol, 'place', [message.order], { replyTo: ctx.self, correlationId: 7 }),
      );
      return state;
    },
    'shop',
    { initialState: [] as ShopState },
  );
  // #endregion invocation
  return shop;
}
