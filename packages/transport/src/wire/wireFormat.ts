import type { FencingToken } from '@nact-rpc/core';
import { WireFormatError } from './WireFormatError';
import { WireKind, type HelloBody } from './WireMessage';

/**
 * The byte layout of frames: the one module that knows offsets and header sizes; the rest of
 * the transport calls the functions below. A frame is a 4-byte length prefix and a payload.
 * Numbers are big-endian; strings are a 16-bit byte length and UTF-8. Values travel as codec
 * bytes at the end of a payload, so they are never copied to be framed. Decoding lives in
 * `decodeWireMessage.ts`, which reads these layout constants from here.
 *
 *   Hello / HelloAccept   kind | JSON of HelloBody
 *   HelloReject           kind | UTF-8 reason
 *   Auth                  kind | 32-byte proof (HMAC-SHA256)
 *   Request               kind | callId u32 | endpointId | protocol | method | token | args
 *   Handshake             kind | callId u32 | endpointId | JSON {protocol, rpcVersion, fenced}
 *   ResponseOk / Error    kind | callId u32 | codec bytes (value, or error envelope)
 *   Ping / Pong / Goodbye kind
 *
 * A token is a type byte (0 none, 1 string, 2 number, 3 bigint) and, unless none, a string.
 */

/** The size of the length prefix of every frame: the payload's length, u32. */
export const FRAME_HEADER_BYTES = 4;

/** Writes the length prefix of a frame whose payload is `length` bytes, at `offset`. */
export function writeLengthPrefix(buffer: Buffer, offset: number, length: number): void {
  buffer.writeUInt32BE(length, offset);
}

/** Reads the payload length a frame declares in its prefix at `offset`. */
export function readLengthPrefix(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset);
}

/** The size of the kind byte that starts every payload. */
export const KIND_BYTES = 1;
const CALL_ID_BYTES = 4;
/** Requests, handshakes and responses carry their call id right after the kind byte. */
const CALL_ID_OFFSET = KIND_BYTES;
const RESPONSE_HEADER_BYTES = KIND_BYTES + CALL_ID_BYTES;
/** The size of a string's length, u16, written before its UTF-8 bytes. */
export const STRING_LENGTH_BYTES = 2;
const TOKEN_TYPE_BYTES = 1;

/** Fencing-token type byte: no token. */
export const TOKEN_NONE = 0;
/** Fencing-token type byte: a string token. */
export const TOKEN_STRING = 1;
/** Fencing-token type byte: a number token, sent as its decimal text. */
export const TOKEN_NUMBER = 2;
/** Fencing-token type byte: a bigint token, sent as its decimal text. */
export const TOKEN_BIGINT = 3;

/** Encodes a Hello, HelloAccept or HelloReject frame. */
export function encodeHello(kind: typeof WireKind.Hello | typeof WireKind.HelloAccept, body: HelloBody): Buffer {
  return withKind(kind, Buffer.from(JSON.stringify(body), 'utf8'));
}

/** Encodes a HelloReject frame. */
export function encodeHelloReject(reason: string): Buffer {
  return withKind(WireKind.HelloReject, Buffer.from(reason, 'utf8'));
}

/** Encodes an Auth frame: a side's proof that it holds the shared secret. */
export function encodeAuth(proof: Uint8Array): Buffer {
  return withKind(WireKind.Auth, Buffer.from(proof.buffer, proof.byteOffset, proof.byteLength));
}

/** Encodes the header of a Request frame; the frame is this header followed by `args`. */
export function encodeRequestHeader(
  callId: number,
  endpointId: string,
  protocol: string,
  method: string,
  fencingToken: FencingToken | undefined,
): Buffer {
  const tokenText = fencingToken === undefined ? '' : String(fencingToken);
  const size =
    KIND_BYTES +
    CALL_ID_BYTES +
    stringSize(endpointId) +
    stringSize(protocol) +
    stringSize(method) +
    TOKEN_TYPE_BYTES +
    (fencingToken === undefined ? 0 : stringSize(tokenText));
  const buffer = Buffer.allocUnsafe(size);
  let offset = buffer.writeUInt8(WireKind.Request, 0);
  offset = buffer.writeUInt32BE(callId, offset);
  offset = writeString(buffer, offset, endpointId);
  offset = writeString(buffer, offset, protocol);
  offset = writeString(buffer, offset, method);
  offset = buffer.writeUInt8(tokenType(fencingToken), offset);
  if (fencingToken !== undefined) writeString(buffer, offset, tokenText);
  return buffer;
}

/** Encodes a Handshake frame. */
export function encodeHandshake(callId: number, endpointId: string, details: object): Buffer {
  const json = Buffer.from(JSON.stringify(details), 'utf8');
  const buffer = Buffer.allocUnsafe(KIND_BYTES + CALL_ID_BYTES + stringSize(endpointId) + json.length);
  let offset = buffer.writeUInt8(WireKind.Handshake, 0);
  offset = buffer.writeUInt32BE(callId, offset);
  offset = writeString(buffer, offset, endpointId);
  json.copy(buffer, offset);
  return buffer;
}

/** Encodes the header of a response frame; the frame is this header followed by the payload. */
export function encodeResponseHeader(ok: boolean, callId: number): Buffer {
  const buffer = Buffer.allocUnsafe(RESPONSE_HEADER_BYTES);
  buffer.writeUInt8(ok ? WireKind.ResponseOk : WireKind.ResponseError, 0);
  buffer.writeUInt32BE(callId, CALL_ID_OFFSET);
  return buffer;
}

/**
 * Writes `callId` into the request or response header that starts at `headerStart` in
 * `buffer`: one header, encoded once with call id 0, serves every call of a method.
 */
export function stampCallId(buffer: Buffer, headerStart: number, callId: number): void {
  buffer.writeUInt32BE(callId, headerStart + CALL_ID_OFFSET);
}

/**
 * What a Request frame adds to its arguments: the length prefix and `header` (from
 * {@link encodeRequestHeader}).
 */
export function requestOverheadBytes(header: Uint8Array): number {
  return FRAME_HEADER_BYTES + header.length;
}

/** The size of a Request frame as written, length prefix included: what counts against the maximum frame size. */
export function requestFrameBytes(header: Uint8Array, args: Uint8Array): number {
  return requestOverheadBytes(header) + args.length;
}

/** The size of a ResponseOk or ResponseError frame as written, length prefix included. */
export function responseFrameBytes(payload: Uint8Array): number {
  return FRAME_HEADER_BYTES + RESPONSE_HEADER_BYTES + payload.length;
}

/**
 * Reads a ResponseOk or ResponseError payload in place, without decoding a message object (the
 * caller's hot path), and hands it to `onResponse`.
 * @returns `false`, without calling `onResponse`, for any other payload, or a response too
 *   short to hold its header: those go to `decodeWireMessage`.
 */
export function readResponse(
  payload: Buffer,
  onResponse: (ok: boolean, callId: number, body: Buffer) => void,
): boolean {
  const kind = payload[0];
  if ((kind !== WireKind.ResponseOk && kind !== WireKind.ResponseError) || payload.length < RESPONSE_HEADER_BYTES)
    return false;
  onResponse(
    kind === WireKind.ResponseOk,
    payload.readUInt32BE(CALL_ID_OFFSET),
    payload.subarray(RESPONSE_HEADER_BYTES),
  );
  return true;
}

/** Encodes a Ping, Pong or Goodbye frame. */
export function encodeSignal(kind: typeof WireKind.Ping | typeof WireKind.Pong | typeof WireKind.Goodbye): Buffer {
  return Buffer.of(kind);
}

function withKind(kind: number, body: Buffer): Buffer {
  const buffer = Buffer.allocUnsafe(KIND_BYTES + body.length);
  buffer.writeUInt8(kind, 0);
  body.copy(buffer, KIND_BYTES);
  return buffer;
}

function stringSize(text: string): number {
  return STRING_LENGTH_BYTES + Buffer.byteLength(text, 'utf8');
}

function writeString(buffer: Buffer, offset: number, text: string): number {
  const length = buffer.write(text, offset + STRING_LENGTH_BYTES, 'utf8');
  if (length > 0xffff) throw new WireFormatError(`a string of ${length} bytes is too long for the wire`);
  buffer.writeUInt16BE(length, offset);
  return offset + STRING_LENGTH_BYTES + length;
}

function tokenType(token: FencingToken | undefined): number {
  switch (typeof token) {
    case 'undefined':
      return TOKEN_NONE;
    case 'string':
      return TOKEN_STRING;
    case 'number':
      return TOKEN_NUMBER;
    default:
      return TOKEN_BIGINT;
  }
}
