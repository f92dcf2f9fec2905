// docs/guide.md, "Metadata": keys and values a call carries to the endpoint it is sent to, and no further.
import { CALL_METADATA_LIMITS, RpcInvalidOptionError, withCallOptions } from '@nact-rpc/core';
import { PricingProtocol, ShopProtocol, startShop, type Price } from './deadlines';

/** Calls with metadata, directly and through the shop; answers what the pricing endpoint saw. */
export async function callWithMetadata(): Promise<{
  direct: Price;
  throughShop: Price;
  refused: string;
  limits: typeof CALL_METADATA_LIMITS;
}> {
  const { shop, pricing, shopService, close } = await startShop();
  try {
    const pricingGateway = await shopService.connect(pricing.getAddress(), PricingProtocol);
    const shopGateway = shop.getSelfGateway(ShopProtocol);
    // #region metadata
    const acme = { metadata: { tenant: 'acme', 'request-id': 'r-17' } };
    const direct = await withCallOptions(pricingGateway, acme).price('lamp');
    // direct.price: 90, and direct.metadata: { tenant: 'acme', 'request-id': 'r-17' }
    const throughShop = await withCallOptions(shopGateway, acme).quote('lamp');
    // throughShop.price: 100, and throughShop.metadata: {}: the shop's call carries none of it

    let refused = '';
    try {
      withCallOptions(pricingGateway, { metadata: { Tenant: 'acme' } }); // keys are lower-case
    } catch (error) {
      if (!(error instanceof RpcInvalidOptionError)) throw error;
      refused = error.code; // "RPC_INVALID_OPTION", before anything is sent
    }
    // #endregion metadata
    return { direct, throughShop, refused, limits: CALL_METADATA_LIMITS };
  } finally {
    await close();
  }
}
