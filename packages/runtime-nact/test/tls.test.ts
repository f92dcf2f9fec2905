import { ask, defineProtocol, RpcConnectionError, RpcEndpoint, RpcInvalidOptionError, serves } from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { TestCertificateAuthority, type KeyAndCertificate } from '../../../test/support/certificates';
import { rejectionOf } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

const Greeter = defineProtocol('TlsGreeter', { greet: ask<[name: string], string>() });

@serves(Greeter)
class GreeterEndpoint extends RpcEndpoint {
  calls = 0;

  greet(name: string): string {
    this.calls++;
    return `hello ${name}`;
  }
}

let ca: TestCertificateAuthority;
let otherCa: TestCertificateAuthority;
let serverTls: KeyAndCertificate;
let clientTls: KeyAndCertificate;

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([TestCertificateAuthority.create(), TestCertificateAuthority.create('another CA')]);
  [serverTls, clientTls] = await Promise.all([ca.issue('server'), ca.issue('client')]);
});

describe('TLS', () => {
  const services: NactRpcService[] = [];
  let serverLogger: RecordingLogger;
  let endpoint: GreeterEndpoint;

  /** A TLS server (client certificates required unless said otherwise) with a started greeter. */
  async function tlsServer(tls: NactRpcServiceOptions['security'] = { tls: serverTls }): Promise<NactRpcService> {
    serverLogger = new RecordingLogger();
    const server = await NactRpcService.create({
      name: 'server',
      listen: { port: 0 },
      logger: serverLogger,
      security: tls,
    });
    services.push(server);
    endpoint = new GreeterEndpoint(server, 'greeter');
    await endpoint.start();
    return server;
  }

  function client(options: Partial<NactRpcServiceOptions> = {}): NactRpcService {
    const service = new NactRpcService({
      name: 'client',
      logger: new RecordingLogger(),
      askTimeoutMs: 5_000,
      ...options,
    });
    services.push(service);
    return service;
  }

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('a service that listens with TLS has nact-rpcs addresses; a client with a certificate from its CA calls it', async () => {
    await tlsServer();
    expect(endpoint.getAddress()).toMatch(/^nact-rpcs:\/\/server@127\.0\.0\.1:\d+\/greeter$/);
    const gateway = await client({ security: { tls: clientTls } }).connect(endpoint.getAddress(), Greeter);
    expect(await gateway.greet('tls')).toBe('hello tls');
    expect(serverLogger.find('warn', '')).toEqual([]);
  });

  test.each<[string, () => Promise<NactRpcServiceOptions>, RegExp]>([
    // A plain TLS client: it trusts the server's CA and presents no certificate.
    ['no client certificate', () => Promise.resolve({ security: { tls: { ca: ca.pem } } }), /it presented none/],
    [
      'a certificate from another CA',
      async () => ({ security: { tls: { ...(await otherCa.issue('client')), ca: ca.pem } } }),
      /UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY/,
    ],
  ])('a client with %s is refused before any invocation, with one log line at the server', async (_, options, why) => {
    await tlsServer();
    const caller = client(await options());
    const failure = await rejectionOf(caller.connect(endpoint.getAddress(), Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('this service requires a client certificate from a CA it trusts');
    expect(endpoint.calls).toBe(0);
    expect(serverLogger.find('warn', 'Refused a TLS connection')).toHaveLength(1);
    expect(serverLogger.find('warn', 'Refused a TLS connection')[0]?.message).toMatch(why);
  });

  test('a client whose certificate from the right CA names another service than it says it is, is refused', async () => {
    await tlsServer();
    const mallory = await ca.issue('mallory');
    const failure = await rejectionOf(client({ security: { tls: mallory } }).connect(endpoint.getAddress(), Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('certificate names "mallory"');
    expect(endpoint.calls).toBe(0);
    const refusals = serverLogger.find('warn', 'Refused an association');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.message).toContain('not the service "client" it says it is');
  });

  test('a client refuses a server whose certificate names another service than the address', async () => {
    const impostorTls = await ca.issue('impostor');
    await tlsServer({ tls: impostorTls });
    const failure = await rejectionOf(client({ security: { tls: clientTls } }).connect(endpoint.getAddress(), Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('certificate names "impostor"');
    expect(endpoint.calls).toBe(0);
  });

  test('a client refuses a server whose certificate is not valid for the host it dialled', async () => {
    await tlsServer({ tls: await ca.issue('server', ['elsewhere.example']) });
    const failure = await rejectionOf(client({ security: { tls: clientTls } }).connect(endpoint.getAddress(), Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toMatch(/TLS: .*127\.0\.0\.1/);
    expect(endpoint.calls).toBe(0);
  });

  test('a plaintext client at a TLS port is refused with a reason that names the nact-rpcs scheme; one log line at the server', async () => {
    await tlsServer();
    const plainAddress = endpoint.getAddress().replace('nact-rpcs://', 'nact-rpc://');
    const failure = await rejectionOf(client().connect(plainAddress, Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('listens with TLS only: address it with the nact-rpcs:// scheme');
    expect(serverLogger.find('warn', 'Refused a plaintext connection')).toHaveLength(1);
    expect(endpoint.calls).toBe(0);
  });

  test('a TLS client at a plaintext port gets a typed error; one log line at the server', async () => {
    await tlsServer({});
    const tlsAddress = endpoint.getAddress().replace('nact-rpc://', 'nact-rpcs://');
    const failure = await rejectionOf(client({ security: { tls: clientTls } }).connect(tlsAddress, Greeter));
    expect(failure).toBeInstanceOf(RpcConnectionError);
    expect((failure as Error).message).toContain('a nact-rpcs:// address is for a service that listens with TLS');
    expect(serverLogger.find('warn', 'it speaks TLS, and this service listens without TLS')).toHaveLength(1);
    expect(endpoint.calls).toBe(0);
  });

  test('with requireClientCertificate false, a client without a certificate calls over TLS', async () => {
    await tlsServer({ tls: { ...serverTls, requireClientCertificate: false } });
    // It trusts the server's CA, and presents no certificate of its own.
    const caller = client({ security: { tls: { ca: ca.pem } } });
    const gateway = await caller.connect(endpoint.getAddress(), Greeter);
    expect(await gateway.greet('anyone')).toBe('hello anyone');
  });

  test('TLS and a shared secret together', async () => {
    const secret = 'tls-and-a-shared-secret-0123456789';
    await tlsServer({ tls: serverTls, sharedSecret: secret });
    const gateway = await client({ security: { tls: clientTls, sharedSecret: secret } }).connect(
      endpoint.getAddress(),
      Greeter,
    );
    expect(await gateway.greet('both')).toBe('hello both');
  });

  test('a service that listens with TLS needs its key and certificate', async () => {
    const failure = await rejectionOf(
      NactRpcService.create({ listen: { port: 0 }, logger: new RecordingLogger(), security: { tls: { ca: ca.pem } } }),
    );
    expect(failure).toBeInstanceOf(RpcInvalidOptionError);
    expect(failure).toMatchObject({ option: 'security.tls.cert' });
  });

  test.each<[string, unknown, string]>([
    ['a key that is not PEM', { key: 'not a key', cert: 'x', ca: 'y' }, 'security.tls'],
    ['a key without its certificate', { key: 'k', ca: 'y' }, 'security.tls.cert'],
    [
      'a non-boolean requireClientCertificate',
      { key: 'k', cert: 'c', ca: 'y', requireClientCertificate: 1 },
      'security.tls.requireClientCertificate',
    ],
  ])('refuses %s with an RpcInvalidOptionError naming the option', (_, tls, option) => {
    let thrown: unknown;
    try {
      new NactRpcService({ security: { tls: tls as never } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RpcInvalidOptionError);
    expect(thrown).toMatchObject({ option });
  });
});
