import { PROOF_BYTES } from '../security/SecretProof';
import { WireFormatError } from './WireFormatError';
import { validateHandshakeDetails, validateHelloBody } from './validateWire';
import { CANCEL_PAYLOAD_BYTES, KIND_BYTES } from './wireFormat';
import { WireKind, type WireMessage } from './WireMessage';
import { NameCache } from './NameCache';
import { PayloadReader } from './PayloadReader';

// Decoding is kept apart from the encoders in `wireFormat.ts`: it is the side that must
// distrust its input, so every read is bounds-checked by `PayloadReader` and every field validated.
// The layout (offsets, sizes, token types) stays defined once, in `wireFormat.ts`.

/** The names requests carry, one cache per field, shared by every connection. */
const ENDPOINT_IDS = new NameCache();
const PROTOCOLS = new NameCache();
const METHODS = new NameCache();

/**
 * Decodes a frame payload, validating every field before anything uses it (see
 * `validateWire.ts`). A handshake whose JSON details are malformed decodes to a
 * `MalformedHandshakeMessage`, so that it can still be answered. A request's call info is
 * checked against the bounds of `callInfoLimits.ts`.
 * @throws WireFormatError naming what is malformed, for any other malformed payload (for call
 *   info: "malformed call info: " and what is wrong, naming the field or metadata key).
 */
export function decodeWireMessage(payload: Buffer): WireMessage {
  if (payload.length === 0) throw new WireFormatError('empty frame');
  const reader = new PayloadReader(payload);
  const kind = reader.u8();
  switch (kind) {
    case WireKind.Hello:
    case WireKind.HelloAccept:
      return { kind, body: validateHelloBody(reader.json()) };
    case WireKind.HelloReject:
      return { kind, reason: reader.rest().toString('utf8') };
    case WireKind.Auth: {
      const proof = reader.rest();
      if (proof.length !== PROOF_BYTES) {
        throw new WireFormatError(`an Auth frame carries ${proof.length} bytes of proof, not ${PROOF_BYTES}`);
      }
      return { kind, proof };
    }
    case WireKind.Request: {
      const callId = reader.u32();
      const endpointId = reader.name(ENDPOINT_IDS);
      const protocol = reader.name(PROTOCOLS);
      const method = reader.name(METHODS);
      const fencingToken = reader.token();
      const call = reader.callInfo();
      return { kind, callId, endpointId, protocol, method, fencingToken, call, args: reader.rest() };
    }
    case WireKind.Cancel:
      if (payload.length !== CANCEL_PAYLOAD_BYTES) {
        throw new WireFormatError(
          `a Cancel frame carries ${payload.length - KIND_BYTES} bytes after its kind, not ${CANCEL_PAYLOAD_BYTES - KIND_BYTES}`,
        );
      }
      return { kind, callId: reader.u32() };
    case WireKind.Handshake: {
      const callId = reader.u32();
      const endpointId = reader.string();
      const details = validateHandshakeDetails(reader.json());
      return typeof details === 'string'
        ? { kind, callId, endpointId, problem: details }
        : { kind, callId, endpointId, ...details };
    }
    case WireKind.ResponseOk:
    case WireKind.ResponseError:
      return { kind, callId: reader.u32(), payload: reader.rest() };
    case WireKind.Ping:
    case WireKind.Pong:
    case WireKind.Goodbye:
      if (payload.length !== KIND_BYTES) {
        throw new WireFormatError(
          `a signal frame (kind ${kind}) carries ${payload.length - KIND_BYTES} unexpected bytes`,
        );
      }
      return { kind };
    default:
      throw new WireFormatError(`unknown frame kind ${kind}`);
  }
}
