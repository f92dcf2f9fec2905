import {
  checkProtocolIdentity,
  describeReceivedValue,
  isPlainObject,
  type ProtocolIdentity,
} from '@nact-rpc/core/internal';
import { WireFormatError } from './WireFormatError';
import type { HelloBody } from './WireMessage';

/** The longest service name, incarnation, codec name or host a hello may carry. */
const MAX_HELLO_TEXT = 1024;

/** The details a well-formed Handshake frame carries after its endpoint id. */
export interface HandshakeDetails {
  readonly protocol: ProtocolIdentity;
  readonly rpcVersion: number;
  readonly fenced: boolean;
}

/**
 * Checks the JSON body of a Hello or HelloAccept frame, field by field, before anything uses
 * it: `magic`, `serviceName`, `incarnation` and `codec` strings, integer `wireVersion`, a
 * positive integer `maxFrameSize`, if present an `address` with a string `host`, a port from 1
 * to 65535 and a boolean `tls`, and `auth` absent or `'secret'` (then with a string `nonce`). Whether the values suit this side (magic, versions, codec) is
 * `checkHello`'s business.
 * @returns The body, typed.
 * @throws WireFormatError naming the first malformed field.
 */
export function validateHelloBody(value: unknown): HelloBody {
  if (!isPlainObject(value)) throw malformedHello('the body', value, 'an object');
  for (const field of ['magic', 'serviceName', 'incarnation', 'codec'] as const) {
    const text = value[field];
    if (typeof text !== 'string' || text.length > MAX_HELLO_TEXT) {
      throw malformedHello(field, text, `a string of at most ${MAX_HELLO_TEXT} characters`);
    }
  }
  if (!Number.isSafeInteger(value['wireVersion']))
    throw malformedHello('wireVersion', value['wireVersion'], 'an integer');
  const maxFrameSize = value['maxFrameSize'];
  if (!Number.isSafeInteger(maxFrameSize) || Number(maxFrameSize) <= 0) {
    throw malformedHello('maxFrameSize', maxFrameSize, 'a positive integer');
  }
  const address = value['address'];
  if (address !== undefined) {
    if (!isPlainObject(address)) throw malformedHello('address', address, 'an object');
    const { host, port } = address;
    if (typeof host !== 'string' || host.length === 0 || host.length > MAX_HELLO_TEXT) {
      throw malformedHello('address.host', host, `a string of 1 to ${MAX_HELLO_TEXT} characters`);
    }
    if (!Number.isInteger(port) || Number(port) < 1 || Number(port) > 65_535) {
      throw malformedHello('address.port', port, 'a port from 1 to 65535');
    }
    if (address['tls'] !== undefined && typeof address['tls'] !== 'boolean') {
      throw malformedHello('address.tls', address['tls'], 'a boolean');
    }
  }
  const { auth, nonce } = value;
  if (auth !== undefined && auth !== 'secret') throw malformedHello('auth', auth, "'secret' or absent");
  if (auth === 'secret' && (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 128)) {
    throw malformedHello('nonce', nonce, 'a string of 16 to 128 characters (with auth)');
  }
  return value as unknown as HelloBody;
}

/**
 * Checks the JSON details of a Handshake frame: a well-formed `protocol` identity (see
 * `checkProtocolIdentity`), an integer `rpcVersion`, and `fenced`, a boolean or absent (not
 * fenced).
 * @returns The details, typed, or a sentence naming the first malformed field: a malformed
 *   handshake is still answered (with a `HandshakeError` saying this), never left unanswered.
 */
export function validateHandshakeDetails(value: unknown): HandshakeDetails | string {
  if (!isPlainObject(value)) return `the handshake details are ${describeReceivedValue(value)}, not an object`;
  const problem = checkProtocolIdentity(value['protocol']);
  if (problem !== undefined) return problem;
  const { rpcVersion, fenced } = value;
  if (!Number.isSafeInteger(rpcVersion)) return `rpcVersion is ${describeReceivedValue(rpcVersion)}, not an integer`;
  if (fenced !== undefined && typeof fenced !== 'boolean') {
    return `fenced is ${describeReceivedValue(fenced)}, not a boolean`;
  }
  return { protocol: value['protocol'] as ProtocolIdentity, rpcVersion: rpcVersion as number, fenced: fenced === true };
}

function malformedHello(field: string, value: unknown, expected: string): WireFormatError {
  return new WireFormatError(`malformed hello: ${field} is ${describeReceivedValue(value)}, not ${expected}`);
}
