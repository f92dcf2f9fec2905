import { HandshakeError, RecipientUnreachableError } from '@nact-rpc/core';
import {
  type EndpointHooks,
  type HandshakeMessage,
  type Outcome,
  RPC_VERSION,
  checkProtocolIdentity,
  describeProtocolMismatch,
  protocolIdentity,
} from '@nact-rpc/core/internal';
import { ACK, answer } from './answer';
import { describeEndpoint } from './describeEndpoint';
import type { EndpointState } from './EndpointLifecycle';

/**
 * Answers a handshake: success if the endpoint serves the caller's protocol, as the caller
 * knows it, in the same RPC version and fenced as the caller expects; otherwise a
 * `HandshakeError` that says what differs (or, for a malformed handshake, which field is wrong). It is answered in every state but TERMINATED
 * (`RecipientUnreachableError`), even before `start()`, and is never fenced: a caller learns
 * whether to connect with a token before it has one to send.
 */
export function answerHandshake(
  message: HandshakeMessage,
  hooks: EndpointHooks,
  state: EndpointState,
  address: string,
): void {
  answer(message.replyTo, checkHandshake(message, hooks, state, address));
}

function checkHandshake(
  message: HandshakeMessage,
  hooks: EndpointHooks,
  state: EndpointState,
  address: string,
): Outcome {
  const refuse = (reason: string): Outcome => ({
    ok: false,
    error: new HandshakeError(`Handshake with ${describeEndpoint(hooks, address)} failed: ${reason}`),
  });
  if (state === 'TERMINATED') {
    return { ok: false, error: new RecipientUnreachableError(`${describeEndpoint(hooks, address)} has terminated.`) };
  }
  // A handshake may come off the wire: a malformed one is refused, never a TypeError here.
  const malformed = checkProtocolIdentity(message.protocol);
  if (malformed !== undefined) return refuse(`the handshake is malformed: ${malformed}.`);
  if (message.rpcVersion !== RPC_VERSION) {
    return refuse(`the caller speaks RPC version ${message.rpcVersion}, the endpoint version ${RPC_VERSION}.`);
  }
  const requested = message.protocol;
  const served = hooks.protocols.find((protocol) => protocol.name === requested.name);
  if (served === undefined) {
    const names = hooks.protocols.map((protocol) => protocol.name).join(', ') || 'none';
    return refuse(`it does not implement protocol ${requested.name} (it serves: ${names}).`);
  }
  const mismatch = describeProtocolMismatch(requested, protocolIdentity(served));
  if (mismatch !== undefined) return refuse(`${mismatch}.`);
  if (message.fenced && !hooks.fenced) {
    return refuse('the endpoint is not fenced; connect without a fencing token.');
  }
  if (!message.fenced && hooks.fenced) {
    return refuse('the endpoint is fenced; connect with { fencingToken }.');
  }
  return ACK;
}
