import type { FencingToken } from '@nact-rpc/core';
import { PROOF_BYTES } from '../security/SecretProof';
import { WireFormatError } from './WireFormatError';
import { validateHandshakeDetails, validateHelloBody } from './validateWire';
import { KIND_BYTES, STRING_LENGTH_BYTES, TOKEN_BIGINT, TOKEN_NONE, TOKEN_NUMBER, TOKEN_STRING } from './wireFormat';
import { WireKind, type WireMessage } from './WireMessage';

// Decoding is kept apart from the encoders in `wireFormat.ts`: it is the side that must
// distrust its input, so every read is bounds-checked by `Reader` and every field validated.
// The layout (offsets, sizes, token types) stays defined once, in `wireFormat.ts`.

/**
 * Decodes a frame payload, validating every field before anything uses it (see
 * `validateWire.ts`). A handshake whose JSON details are malformed decodes to a
 * `MalformedHandshakeMessage`, so that it can still be answered.
 * @throws WireFormatError naming what is malformed, for any other malformed payload.
 */
export function decodeWireMessage(payload: Buffer): WireMessage {
  if (payload.length === 0) throw new WireFormatError('empty frame');
  const reader = new Reader(payload);
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
      const endpointId = reader.string();
      const protocol = reader.string();
      const method = reader.string();
      const fencingToken = reader.token();
      return { kind, callId, endpointId, protocol, method, fencingToken, args: reader.rest() };
    }
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

/** Reads a payload front to back, failing with a {@link WireFormatError} past its end. */
class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    this.need(STRING_LENGTH_BYTES);
    const length = this.buffer.readUInt16BE(this.offset);
    this.offset += STRING_LENGTH_BYTES;
    this.need(length);
    const text = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return text;
  }

  token(): FencingToken | undefined {
    const type = this.u8();
    switch (type) {
      case TOKEN_NONE:
        return undefined;
      case TOKEN_STRING:
        return this.string();
      case TOKEN_NUMBER: {
        const text = this.string();
        const value = Number(text);
        if (text.trim() === '' || Number.isNaN(value)) {
          throw new WireFormatError(`malformed number fencing token ${JSON.stringify(text)}`);
        }
        return value;
      }
      case TOKEN_BIGINT: {
        const text = this.string();
        if (!/^-?\d+$/.test(text)) throw new WireFormatError(`malformed bigint fencing token ${JSON.stringify(text)}`);
        return BigInt(text);
      }
      default:
        throw new WireFormatError(`unknown fencing token type ${type}`);
    }
  }

  json(): unknown {
    const text = this.rest().toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new WireFormatError('malformed JSON body');
    }
  }

  rest(): Buffer {
    const rest = this.buffer.subarray(this.offset);
    this.offset = this.buffer.length;
    return rest;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new WireFormatError('truncated frame');
  }
}
