import { WIRE_MAGIC, WIRE_VERSION, type HelloBody } from '../wire/WireMessage';

/**
 * Checks a peer's hello against this side's: the reason to refuse the association, or
 * `undefined` to accept it. The body arrives as JSON from the peer, so every field is checked
 * before use, whatever its declared type; `validatePeer` adds the transport's own checks
 * (e.g. that an outbound association reached the service it dialled).
 */
export function checkHello(
  body: HelloBody,
  localHello: HelloBody,
  validatePeer: (peer: HelloBody) => string | undefined,
): string | undefined {
  if (typeof body !== 'object' || body === null || body.magic !== WIRE_MAGIC) return 'not a nact-rpc peer';
  if (body.wireVersion !== WIRE_VERSION) {
    return `wire version ${String(body.wireVersion)} differs from this side's ${WIRE_VERSION}`;
  }
  if (body.codec !== localHello.codec) {
    return `the peer uses the ${String(body.codec)} codec, this side ${localHello.codec}`;
  }
  if (typeof body.serviceName !== 'string' || typeof body.incarnation !== 'string' || !(body.maxFrameSize > 0)) {
    return 'malformed hello';
  }
  return validatePeer(body);
}
