import { checkServerIdentity } from 'node:tls';
import type { WireAddress } from '../wire/WireMessage';
import type { Association } from './Association';

/**
 * Whether the peer of an inbound association proved that it is the service at the address its
 * hello claims, so that this side's calls to that address may travel on the connection it
 * opened. A hello alone proves nothing: without authentication, calls to an address always go
 * on a connection this side opened to it. The shared secret proves membership of the
 * deployment, whose services are trusted to say where they listen; a certificate must be valid
 * for the claimed host, as it would have to be had this side connected there. The connection
 * must be TLS exactly when the claimed address is.
 */
export function provesAddress(association: Association, claimed: WireAddress): boolean {
  if ((claimed.tls === true) !== association.peer.isEncrypted()) return false;
  const { proof, certificate } = association.peer.getIdentity();
  if (proof === 'secret') return true;
  return (
    proof === 'certificate' && certificate !== undefined && checkServerIdentity(claimed.host, certificate) === undefined
  );
}
