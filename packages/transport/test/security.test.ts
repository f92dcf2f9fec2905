import type { PeerCertificate } from 'node:tls';
import { RpcInvalidOptionError, type Logger } from '@nact-rpc/core';
import {
  certificateNames,
  checkCertificateNames,
  decodeWireMessage,
  encodeAuth,
  encodeHello,
  newNonce,
  resolveSecurityOptions,
  SecretProof,
  WIRE_MAGIC,
  WIRE_VERSION,
  WireKind,
  type HelloBody,
} from '@nact-rpc/transport/internal';
import { thrownBy } from '@nact-rpc/testing';
import { RefusalLog } from '../src/security/RefusalLog';

const SECRET = Buffer.from('a-shared-secret-of-32-bytes-long');
const HELLO: HelloBody = {
  magic: WIRE_MAGIC,
  wireVersion: WIRE_VERSION,
  serviceName: 'svc',
  incarnation: 'run-1',
  codec: 'superjson',
  maxFrameSize: 1024,
};

describe('SecretProof', () => {
  const client = encodeHello(WireKind.Hello, { ...HELLO, auth: 'secret', nonce: newNonce() });
  const server = encodeHello(WireKind.HelloAccept, { ...HELLO, auth: 'secret', nonce: newNonce() });

  test('both sides compute the same proofs from the same transcript and secret', () => {
    const a = new SecretProof(SECRET, client, server);
    const b = new SecretProof(SECRET, client, server);
    expect(b.verify('client', a.proof('client'))).toBe(true);
    expect(b.verify('server', a.proof('server'))).toBe(true);
  });

  test("a side's proof is not the other side's: a proof reflected back is refused", () => {
    const proof = new SecretProof(SECRET, client, server);
    expect(proof.proof('client').equals(proof.proof('server'))).toBe(false);
    expect(proof.verify('client', proof.proof('server'))).toBe(false);
  });

  test('a proof from another association (other nonces) or another secret is refused', () => {
    const other = encodeHello(WireKind.HelloAccept, { ...HELLO, auth: 'secret', nonce: newNonce() });
    const replayed = new SecretProof(SECRET, client, other).proof('client');
    expect(new SecretProof(SECRET, client, server).verify('client', replayed)).toBe(false);
    const wrongSecret = new SecretProof(Buffer.from('another-secret-of-32-bytes-long!'), client, server);
    expect(new SecretProof(SECRET, client, server).verify('client', wrongSecret.proof('client'))).toBe(false);
  });

  test('a proof of the wrong length is refused without throwing', () => {
    expect(new SecretProof(SECRET, client, server).verify('client', Buffer.alloc(5))).toBe(false);
  });

  test('nonces are fresh: 32 random bytes in base64', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(32);
  });
});

describe('Auth frames and the authenticated hello', () => {
  test('an Auth frame carries a 32-byte proof, and one of another length is a WireFormatError', () => {
    const proof = Buffer.alloc(32, 7);
    expect(decodeWireMessage(encodeAuth(proof))).toEqual({ kind: WireKind.Auth, proof });
    expect(() => decodeWireMessage(encodeAuth(Buffer.alloc(31)))).toThrow('31 bytes of proof, not 32');
  });

  test.each<[string, object, string]>([
    ['an unknown auth', { auth: 'password' }, 'auth is "password"'],
    ['auth without a nonce', { auth: 'secret' }, 'nonce is missing'],
    ['a short nonce', { auth: 'secret', nonce: 'abc' }, 'nonce is "abc"'],
    ['a non-boolean address.tls', { address: { host: 'h', port: 1, tls: 'yes' } }, 'address.tls is "yes"'],
  ])('a hello with %s is malformed, naming the field', (_, fields, message) => {
    const payload = encodeHello(WireKind.Hello, { ...HELLO, ...fields });
    expect(() => decodeWireMessage(payload)).toThrow(message);
  });
});

describe('certificate names', () => {
  const certificate = (subject: object, subjectaltname?: string): PeerCertificate =>
    ({ subject, subjectaltname }) as unknown as PeerCertificate;

  test('are the subject CN and the DNS and URI alternative names, not IP addresses', () => {
    expect(
      certificateNames(certificate({ CN: 'jobs' }, 'DNS:jobs.internal, IP Address:127.0.0.1, URI:spiffe://x/jobs')),
    ).toEqual(['jobs', 'jobs.internal', 'spiffe://x/jobs']);
    expect(certificateNames(certificate({ CN: ['a', 'b'] }))).toEqual(['a', 'b']);
    expect(certificateNames(certificate({}))).toEqual([]);
  });

  test('must include the service the peer says it is', () => {
    expect(checkCertificateNames('jobs', ['x', 'jobs'])).toBeUndefined();
    expect(checkCertificateNames('jobs', ['mallory'])).toBe(
      'its certificate names "mallory", not the service "jobs" it says it is',
    );
    expect(checkCertificateNames('jobs', [])).toContain('names no name');
  });
});

describe('resolveSecurityOptions', () => {
  test('without options nothing is authenticated', () => {
    expect(resolveSecurityOptions()).toEqual({ tls: undefined, secret: undefined, authenticatesPeers: false });
  });

  test('a shared secret authenticates peers; as a string or as bytes', () => {
    expect(resolveSecurityOptions({ sharedSecret: 'sixteen-bytes-ok' }).authenticatesPeers).toBe(true);
    expect(resolveSecurityOptions({ sharedSecret: new Uint8Array(16) }).secret).toEqual(Buffer.alloc(16));
  });

  test.each([null, 'secret', [1]])('refuses security options that are not an object: %p', (options) => {
    const error = thrownBy(() => resolveSecurityOptions(options as never));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ option: 'security' });
  });

  test('refuses a shared secret that is neither a string nor bytes', () => {
    const error = thrownBy(() => resolveSecurityOptions({ sharedSecret: 42 as never }));
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'security.sharedSecret' });
  });
});

describe('RefusalLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('logs up to its limit per window, then one line with the count of the rest', () => {
    const warnings: string[] = [];
    const logger = { warn: (line: string) => warnings.push(line), debug: () => {} } as unknown as Logger;
    const log = new RefusalLog(logger, undefined, 2, 1_000);
    for (let i = 0; i < 5; i++) log.refused(`refused ${i}`);
    expect(warnings).toEqual(['refused 0', 'refused 1']);
    jest.advanceTimersByTime(1_000);
    expect(warnings).toEqual([
      'refused 0',
      'refused 1',
      '3 more connections were refused in 1 s (not logged one by one).',
    ]);
    log.refused('refused 5');
    expect(warnings.at(-1)).toBe('refused 5');
    log.flush();
    expect(warnings).toHaveLength(4);
  });
});
