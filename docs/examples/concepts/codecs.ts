// docs/concepts.md, "Codecs": the same codec, with the same classes, on every service.
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { Money, QuotaExceededError } from '@nact-rpc/testing';
// #region imports
import { TypedCodec } from '@nact-rpc/core';
// #endregion imports

/** A billing service that listens (on any free port), and a client of it. */
export async function billingAndClient(): Promise<{ billing: NactRpcService; client: NactRpcService }> {
  // #region services
  const codec = () => new TypedCodec().registerClass(Money).registerErrorClass(QuotaExceededError);
  const billing = await NactRpcService.create({ name: 'billing', codec: codec(), listen: { port: 0 } });
  // ...and every service that calls it, or that it calls:
  const client = new NactRpcService({ codec: codec() });
  // To talk to services that use superjson: new SuperJsonCodec(), with the same registrations.
  // #endregion services
  return { billing, client };
}
