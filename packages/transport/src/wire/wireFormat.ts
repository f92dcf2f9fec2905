import type { FencingToken } from '@nact-rpc/core';
import { WireFormatError } from './WireFormatError';
import { checkCallInfo, wireDeadlineMs } from './callInfoLimits';
import { WireKind, type HelloBody, type WireCallInfo } from './WireMessage';

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
 *   Request               kind | callId u32 | endpointId | protocol | method | token | flags u8 |
 *                         [deadlineMs u32] [traceparent] [tracestate] [metadata] | args
 *   Handshake             kind | callId u32 | endpointId | JSON {protocol, rpcVersion, fenced}
 *   Cancel                kind | callId u32
 *   ResponseOk / Error    kind | callId u32 | codec bytes (value, or error envelope)
 *   Ping / Pong / Goodbye kind
 *
 * A token is a type byte (0 none, 1 string, 2 number, 3 bigint) and, unless none, a string.
 * A request's flags byte says which call-info sections follow it, in this order: bit 0 the
 * deadline (remaining milliseconds), bit 1 the traceparent (a string), bit 2 the tracestate (a
 * string), bit 3 the metadata (a count u8, then that many key and value strings); the other
 * bits are 0. A request without call info has flags 0. The bounds are in `callInfoLimits.ts`.
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
const CALL_FLAGS_BYTES = 1;
const DEADLINE_BYTES = 4;
const METADATA_COUNT_BYTES = 1;
/** The size of a Cancel frame's payload: the kind and the call id. */
export const CANCEL_PAYLOAD_BYTES = KIND_BYTES + CALL_ID_BYTES;

/** Request call-info flag: a deadline (remaining milliseconds, u32) follows. */
export const CALL_DEADLINE = 0x01;
/** Request call-info flag: a traceparent string follows. */
export const CALL_TRACEPARENT = 0x02;
/** Request call-info flag: a tracestate string follows. */
export const CALL_TRACESTATE = 0x04;
/** Request call-info flag: metadata (a count u8, then key and value strings) follows. */
export const CALL_METADATA = 0x08;
/** Every call-info flag this version knows; a request with any other bit set is malformed. */
export const CALL_FLAGS_KNOWN = CALL_DEADLINE | CALL_TRACEPARENT | CALL_TRACESTATE | CALL_METADATA;

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

/**
 * Encodes the header of a Request frame; the frame is this header followed by `args`. Without
 * `call` (or with none of its fields set, or empty metadata) the flags byte is 0 and nothing
 * follows it: such a header is encoded once per method, its call id then stamped with
 * {@link stampCallId}, which works for headers with call info too.
 * @throws WireFormatError if a string is longer than 65535 bytes, or `call` breaks the bounds of
 *   `callInfoLimits.ts` (the message names what is wrong).
 */
export function encodeRequestHeader(
  callId: number,
  endpointId: string,
  protocol: string,
  method: string,
  fencingToken: FencingToken | undefined,
  call?: WireCallInfo,
): Buffer {
  const tokenText = fencingToken === undefined ? '' : String(fencingToken);
  const flags = call === undefined ? 0 : callFlags(call);
  const size =
    KIND_BYTES +
    CALL_ID_BYTES +
    stringSize(endpointId) +
    stringSize(protocol) +
    stringSize(method) +
    TOKEN_TYPE_BYTES +
    (fencingToken === undefined ? 0 : stringSize(tokenText)) +
    CALL_FLAGS_BYTES +
    (flags === 0 ? 0 : callInfoSize(call as WireCallInfo, flags));
  const buffer = Buffer.allocUnsafe(size);
  let offset = buffer.writeUInt8(WireKind.Request, 0);
  offset = buffer.writeUInt32BE(callId, offset);
  offset = writeString(buffer, offset, endpointId);
  offset = writeString(buffer, offset, protocol);
  offset = writeString(buffer, offset, method);
  offset = buffer.writeUInt8(tokenType(fencingToken), offset);
  if (fencingToken !== undefined) offset = writeString(buffer, offset, tokenText);
  offset = buffer.writeUInt8(flags, offset);
  if (flags !== 0) writeCallInfo(buffer, offset, call as WireCallInfo, flags);
  return buffer;
}

/** Encodes a Cancel frame: the caller gave up on its ask `callId`. */
export function encodeCancel(callId: number): Buffer {
  const buffer = Buffer.allocUnsafe(CANCEL_PAYLOAD_BYTES);
  buffer.writeUInt8(WireKind.Cancel, 0);
  buffer.writeUInt32BE(callId, CALL_ID_OFFSET);
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

/** The flags of `call`, after checking it against the bounds. */
function callFlags(call: WireCallInfo): number {
  const { deadlineMs, traceparent, tracestate, metadata } = call;
  const flags =
    (deadlineMs === undefined ? 0 : CALL_DEADLINE) |
    (traceparent === undefined ? 0 : CALL_TRACEPARENT) |
    (tracestate === undefined ? 0 : CALL_TRACESTATE) |
    (metadata === undefined || isEmptyObject(metadata) ? 0 : CALL_METADATA);
  if (flags === 0) return 0;
  const problem = checkCallInfo(call);
  if (problem !== undefined) throw new WireFormatError(`malformed call info: ${problem}`);
  return flags;
}

function callInfoSize(call: WireCallInfo, flags: number): number {
  let size = flags & CALL_DEADLINE ? DEADLINE_BYTES : 0;
  if (flags & CALL_TRACEPARENT) size += stringSize(call.traceparent as string);
  if (flags & CALL_TRACESTATE) size += stringSize(call.tracestate as string);
  if (flags & CALL_METADATA) {
    size += METADATA_COUNT_BYTES;
    for (const [key, value] of Object.entries(call.metadata as Record<string, string>)) {
      size += stringSize(key) + stringSize(value);
    }
  }
  return size;
}

function writeCallInfo(buffer: Buffer, offset: number, call: WireCallInfo, flags: number): void {
  if (flags & CALL_DEADLINE) offset = buffer.writeUInt32BE(wireDeadlineMs(call.deadlineMs as number), offset);
  if (flags & CALL_TRACEPARENT) offset = writeString(buffer, offset, call.traceparent as string);
  if (flags & CALL_TRACESTATE) offset = writeString(buffer, offset, call.tracestate as string);
  if (flags & CALL_METADATA) {
    const entries = Object.entries(call.metadata as Record<string, string>);
    offset = buffer.writeUInt8(entries.length, offset);
    for (const [key, value] of entries) {
      offset = writeString(buffer, offset, key);
      offset = writeString(buffer, offset, value);
    }
  }
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
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
