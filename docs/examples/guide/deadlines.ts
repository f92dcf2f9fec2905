// docs/guide.md, "Deadlines" and "Metadata": a shop that asks a pricing service, in another service, while it serves a quote.
// #region imports
import { ask, defineProtocol, RpcEndpoint, serves, withCallOptions, type RpcService } from '@nact-rpc/core';
// #endregion imports
import { RpcDeadlineExceededError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';

/** What the pricing endpoint saw of a call, beside the price. */
export interface Price {
  readonly price: number;
  readonly deadline: number | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

// #region endpoints
export const PricingProtocol = defineProtocol('PricingGateway', {
  price: ask<[item: string], Price>(),
});

@serves(PricingProtocol)
export class PricingEndpoint extends RpcEndpoint {
  price(item: string): Price {
    const { deadline, metadata } = this.getCallContext();
    const price = metadata['tenant'] === 'acme' ? 90 : 100; // a price list per tenant
    return { price: item === 'lamp' ? price : price * 2, deadline, metadata };
  }
}

export const ShopProtocol = defineProtocol('ShopGateway', {
  // A method's timeout argument: it bounds the wait of this call only.
  quote: ask<[item: string, timeoutMs?: number], Price>({ timeoutArg: 1 }),
  quoteDetached: ask<[item: string], Price>(),
});

@serves(ShopProtocol)
export class ShopEndpoint extends RpcEndpoint {
  constructor(
    service: RpcService,
    private readonly pricingAddress: string,
  ) {
    super(service, 'shop');
  }

  async quote(item: string): Promise<Price> {
    const pricing = await this.rpcService.connect(this.pricingAddress, PricingProtocol);
    return pricing.price(item); // made after an await, it still carries the deadline of the quote
  }

  async quoteDetached(item: string): Promise<Price> {
    const pricing = await this.rpcService.connect(this.pricingAddress, PricingProtocol);
    return withCallOptions(pricing, { inheritDeadline: false }).price(item); // outlives the quote
  }
}
// #endregion endpoints

/** A pricing endpoint in a service that listens, and a shop in another that calls it. */
export async function startShop(): Promise<{
  shop: ShopEndpoint;
  pricing: PricingEndpoint;
  shopService: NactRpcService;
  close: () => Promise<void>;
}> {
  const pricingService = await NactRpcService.create({ name: 'pricing', listen: { port: 0 } });
  const pricing = new PricingEndpoint(pricingService, 'pricing');
  await pricing.start();
  const shopService = new NactRpcService({ name: 'shop' });
  const shop = new ShopEndpoint(shopService, pricing.getAddress());
  await shop.start();
  return {
    shop,
    pricing,
    shopService,
    close: async () => {
      await shopService.closeAsync();
      await pricingService.closeAsync();
    },
  };
}

/** Quotes with a deadline, with a timeout argument, and detached; answers what the pricing endpoint saw. */
export async function quoteWithDeadlines(): Promise<{
  deadline: number;
  inherited: number | undefined;
  byArgument: number | undefined;
  detached: number | undefined;
  late: string;
}> {
  const { shop, pricing, shopService, close } = await startShop();
  const gateway = shop.getSelfGateway(ShopProtocol);
  try {
    // #region deadline
    const deadline = Date.now() + 2_000;
    const quoted = withCallOptions(gateway, { deadline }); // or { timeoutMs: 2_000 }
    const inherited = (await quoted.quote('lamp')).deadline; // about `deadline`, on the pricing service's clock
    const detached = (await quoted.quoteDetached('lamp')).deadline; // undefined: inheritDeadline: false
    const byArgument = (await gateway.quote('lamp', 2_000)).deadline; // undefined: the argument does not travel
    // #endregion deadline

    // #region late
    let late = '';
    const pricingGateway = await shopService.connect(pricing.getAddress(), PricingProtocol);
    try {
      await withCallOptions(pricingGateway, { deadline: Date.now() - 1 }).price('lamp'); // never sent
    } catch (error) {
      if (!(error instanceof RpcDeadlineExceededError)) throw error;
      late = error.code; // "RPC_DEADLINE_EXCEEDED"
    }
    // #endregion late
    return { deadline, inherited, byArgument, detached, late };
  } finally {
    await close();
  }
}
