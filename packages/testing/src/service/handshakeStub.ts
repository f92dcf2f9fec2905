import { HandshakeError, type AnyProtocol } from '@nact-rpc/core';
import { describeProtocolMismatch, protocolIdentity } from '@nact-rpc/core/internal';
import { FencedStubGateway } from '../stub/FencedStubGateway';
import type { StubGateway } from '../stub/StubGateway';

/**
 * The handshake of `connect` with a registered stub, by the rule of a real endpoint's: the
 * stub serves its protocol and the protocols that extends; the caller's protocol must be one of
 * them, as the caller knows it, and the caller must connect fenced exactly when the stub is.
 * @throws HandshakeError that says what differs.
 */
export function handshakeStub(stub: StubGateway<AnyProtocol>, protocol: AnyProtocol, fenced: boolean): void {
  const refuse = (reason: string): HandshakeError =>
    new HandshakeError(`Handshake with the stub gateway of ${stub.protocol.name} at ${stub.address} failed: ${reason}`);
  const servedProtocols = served(stub.protocol);
  const servedProtocol = servedProtocols.find((candidate) => candidate.name === protocol.name);
  if (servedProtocol === undefined) {
    const names = servedProtocols.map((candidate) => candidate.name).join(', ');
    throw refuse(`it does not implement protocol ${protocol.name} (it serves: ${names}).`);
  }
  const mismatch = describeProtocolMismatch(protocolIdentity(protocol), protocolIdentity(servedProtocol));
  if (mismatch !== undefined) throw refuse(`${mismatch}.`);
  const stubFenced = stub instanceof FencedStubGateway;
  if (fenced && !stubFenced) throw refuse('the stub is not fenced; connect without a fencing token.');
  if (!fenced && stubFenced) throw refuse('the stub is fenced; connect with { fencingToken }.');
}

/** `protocol` and every protocol it extends, each once. */
function served(protocol: AnyProtocol): AnyProtocol[] {
  const byName = new Map<string, AnyProtocol>();
  const visit = (candidate: AnyProtocol): void => {
    if (byName.has(candidate.name)) return;
    byName.set(candidate.name, candidate);
    candidate.extends.forEach(visit);
  };
  visit(protocol);
  return [...byName.values()];
}
