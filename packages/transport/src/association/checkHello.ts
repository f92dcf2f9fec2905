import { WIRE_MAGIC, WIRE_VERSION, type HelloBody } from '../wire/WireMessage';

/**
 * Checks a peer's hello against this side's: the reason to refuse the association, or
 * `undefined` to accept it. The body arrives as JSON from the peer, so every field is checked
 * before use, whatever its declared type; `validatePeer` adds the transport's own checks
 * (e.g. that an outbound association reached the service it dialled). A peer of another wire
 * version is refused (there is no fallback: version 2 requests carry call info that version 1
 * cannot read), with a reason that says which side to upgrade.
 */
export function checkHello(
  body: HelloBody,
  localHello: HelloBody,
  validatePeer: (peer: HelloBody) => string | undefined,
): string | undefined {
  if (typeof body !== 'object' || body === null || body.magic !== WIRE_MAGIC) return 'not a nact-rpc peer';
  if (body.wireVersion !== WIRE_VERSION) return wireVersionDiffers(body.wireVersion);
  if (body.codec !== localHello.codec) {
    return `the peer uses the ${String(body.codec)} codec, this side ${localHello.codec}`;
  }
  if (typeof body.serviceName !== 'string' || typeof body.incarnation !== 'string' || !(body.maxFrameSize > 0)) {
    return 'malformed hello';
  }
  return validatePeer(body);
}

/** The reason to refuse a peer of another wire version; it reads the same on both sides (a HelloReject is relayed). */
function wireVersionDiffers(version: unknown): string {
  const differs = `wire version ${String(version)} differs from this side's ${WIRE_VERSION}`;
  if (typeof version !== 'number') return differs;
  return `${differs}: upgrade the older side (version ${Math.min(version, WIRE_VERSION)})`;
}
