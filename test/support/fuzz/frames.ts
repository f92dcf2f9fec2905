/**
 * Valid frames for the fuzz tests, built from the transport's own encoders, which the
 * properties then cut, mutate or wrap. Every valid hello comes from {@link validHelloBody}: when
 * the hello gains a field, that function is the one place to change.
 */
import type { FencingToken } from '@nact-rpc/core';
import { protocolIdentity, RPC_VERSION } from '@nact-rpc/core/internal';
import {
  encodeCancel,
  encodeHandshake,
  encodeHello,
  encodeRequestHeader,
  encodeResponseHeader,
  FRAME_HEADER_BYTES,
  WIRE_MAGIC,
  WIRE_VERSION,
  WireKind,
  type HelloBody,
  type WireCallInfo,
} from '@nact-rpc/transport/internal';
import { EchoProtocol } from '../../fixtures/src/protocols';
import { fixtureCodec } from '../../fixtures/src/values';

/** The fuzzed service's largest frame (its `transport.maxFrameSize`). */
export const FUZZ_MAX_FRAME_SIZE = 10 * 1024 * 1024;

/** The codec of the fuzzed service, for encoding valid arguments and decoding answers. */
export const codec = fixtureCodec();

/** Format byte of the codec's plain-JSON encoding ('J'). */
export const FORMAT_JSON = 0x4a;
/** Format byte of the codec's superjson encoding ('S'). */
export const FORMAT_SUPERJSON = 0x53;

let helloCount = 0;

/**
 * The one valid hello of a fuzz connection: a peer that does not listen, with a fresh
 * incarnation per connection so that no two fuzz connections are taken for one peer.
 * @param codecName - The codec of the fuzzed service (the hello must name it); default {@link codec}'s.
 */
export function validHelloBody(codecName: string = codec.name): HelloBody {
  helloCount++;
  return {
    magic: WIRE_MAGIC,
    wireVersion: WIRE_VERSION,
    serviceName: 'fuzzer',
    incarnation: `fuzzer-run-${helloCount}`,
    codec: codecName,
    maxFrameSize: FUZZ_MAX_FRAME_SIZE,
  };
}

/** A frame as written: the 4-byte length prefix, then `payload`. */
export function frame(payload: Uint8Array): Buffer {
  const prefix = Buffer.alloc(FRAME_HEADER_BYTES);
  prefix.writeUInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** A frame whose prefix declares `declared` bytes, whatever `payload` holds. */
export function frameDeclaring(declared: number, payload: Uint8Array): Buffer {
  const prefix = Buffer.alloc(FRAME_HEADER_BYTES);
  prefix.writeUInt32BE(declared >>> 0, 0);
  return Buffer.concat([prefix, payload]);
}

/** The valid hello frame (see {@link validHelloBody}) of a peer using the codec called `codecName`. */
export function validHelloFrame(codecName: string = codec.name): Buffer {
  return frame(encodeHello(WireKind.Hello, validHelloBody(codecName)));
}

/** A hello frame carrying `json` as its body text, valid or not. */
export function helloFrameWithText(json: string, kind: number = WireKind.Hello): Buffer {
  return frame(Buffer.concat([Buffer.of(kind), Buffer.from(json, 'utf8')]));
}

/** The payload of a request frame: the transport's header (with `call`, if given), then `args` (codec bytes). */
export function requestPayload(
  callId: number,
  endpointId: string,
  protocol: string,
  method: string,
  token: FencingToken | undefined,
  args: Uint8Array,
  call?: WireCallInfo,
): Buffer {
  return Buffer.concat([encodeRequestHeader(callId, endpointId, protocol, method, token, call), args]);
}

/**
 * The payload of a request frame whose call info is `section`, raw bytes (the flags byte and
 * what follows it), valid or not: the encoder refuses call info out of bounds, a peer may not.
 */
export function requestPayloadWithCallSection(
  callId: number,
  endpointId: string,
  protocol: string,
  method: string,
  token: FencingToken | undefined,
  section: Uint8Array,
  args: Uint8Array,
): Buffer {
  const header = encodeRequestHeader(callId, endpointId, protocol, method, token);
  // The header without call info ends with its flags byte, 0: `section` takes its place.
  return Buffer.concat([header.subarray(0, header.length - 1), section, args]);
}

/** The payload of a Cancel frame for `callId`: the caller gave up on that ask. */
export function cancelPayload(callId: number): Buffer {
  return encodeCancel(callId);
}

/** A valid ask `EchoGateway.echo(value)` to the `echo` endpoint. */
export function echoAsk(callId: number, value: number): Buffer {
  return frame(requestPayload(callId, 'echo', EchoProtocol.name, 'echo', undefined, codec.encode([value])));
}

/** The codec bytes of `text` in `format` (J or S), whether or not the text is valid. */
export function codecBytes(format: number, text: string): Buffer {
  return Buffer.concat([Buffer.of(format), Buffer.from(text, 'utf8')]);
}

/** The handshake details a well-behaved `connect(…, EchoProtocol)` sends. */
export function validHandshakeDetails(): {
  protocol: ReturnType<typeof protocolIdentity>;
  rpcVersion: number;
  fenced: boolean;
} {
  return { protocol: protocolIdentity(EchoProtocol), rpcVersion: RPC_VERSION, fenced: false };
}

/** The payload of a handshake frame with `details` (any JSON value) or raw `detailsText`. */
export function handshakePayload(callId: number, endpointId: string, details: unknown, detailsText?: string): Buffer {
  const encoded = encodeHandshake(callId, endpointId, {});
  const header = encoded.subarray(0, encoded.length - 2); // without the JSON of `{}`
  const text = detailsText ?? JSON.stringify(details) ?? 'undefined';
  return Buffer.concat([header, Buffer.from(text, 'utf8')]);
}

/** The payload of a ResponseOk or ResponseError frame the server never asked for. */
export function responsePayload(ok: boolean, callId: number, body: Uint8Array): Buffer {
  return Buffer.concat([encodeResponseHeader(ok, callId), body]);
}

/** Handshake details with `text` (a pollution object) put at `at`. */
export function pollutedDetails(text: string, at: string): string {
  const details = validHandshakeDetails();
  const protocol = JSON.stringify(details.protocol);
  switch (at) {
    case 'methods':
      return JSON.stringify(details).replace('"methods":{', `"methods":{"__proto__":${text},"constructor":${text},`);
    case 'protocol':
      return `{"protocol":${protocol.replace(/^\{/, `{"__proto__":${text},`)},"rpcVersion":1}`;
    case 'method':
      return JSON.stringify(details).replace('"echo":{', `"echo":{"__proto__":${text},`);
    default:
      return JSON.stringify(details).replace(/^\{/, `{"__proto__":${text},"constructor":${text},`);
  }
}
