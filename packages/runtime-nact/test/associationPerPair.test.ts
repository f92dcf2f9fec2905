import { ask, defineProtocol, HandshakeError, RecipientUnreachableError, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { TcpTransport } from '@nact-rpc/transport/internal';
import { RecordingLogger } from '@nact-rpc/testing';

const EchoProtocol = defineProtocol('AssociationEcho', {
  echo: ask<[value: string], string>(),
  hang: ask<[], void>(),
});
const OtherProtocol = defineProtocol('AssociationOther', { other: ask<[], string>() });

@serves(EchoProtocol)
class EchoEndpoint extends RpcEndpoint {
  echo(value: string): string {
    // The service's name, from the endpoint's address `nact-rpc://<service>@…`.
    return `${value} from ${/\/\/([^@]+)@/.exec(this.getAddress())?.[1]}`;
  }

  hang(): Promise<void> {
    return new Promise(() => {});
  }
}

@serves(OtherProtocol)
class OtherEndpoint extends RpcEndpoint {
  other(): string {
    return 'other';
  }
}

/** The transport of `service`, for its test-visible association count. */
function transportOf(service: NactRpcService): TcpTransport {
  return (service as unknown as { transport: TcpTransport }).transport;
}

/** Waits until `condition` holds, checking every 10 ms, for at most 5 s. */
async function eventually(condition: () => boolean): Promise<void> {
  const until = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the condition did not hold within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The secret the services of these tests share: a peer proves who it is, so its connection may be shared. */
const SECRET = 'association-per-pair-test-secret';

describe('one association per pair of services that authenticate each other', () => {
  const services: NactRpcService[] = [];
  const listen = async (name: string, port = 0, logger = new RecordingLogger()): Promise<NactRpcService> => {
    const service = await NactRpcService.create({
      name,
      listen: { port },
      logger,
      askTimeoutMs: 3_600_000,
      security: { sharedSecret: SECRET },
    });
    services.push(service);
    return service;
  };
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test('two services that connect to each other in the same tick keep one association, and calls both ways succeed', async () => {
    const alphaLogger = new RecordingLogger();
    const betaLogger = new RecordingLogger();
    const alpha = await listen('alpha', 0, alphaLogger);
    const beta = await listen('beta', 0, betaLogger);
    const alphaEcho = new EchoEndpoint(alpha, 'echo');
    const betaEcho = new EchoEndpoint(beta, 'echo');
    await alphaEcho.start();
    await betaEcho.start();

    const [toBeta, toAlpha] = await Promise.all([
      alpha.connect(betaEcho.getAddress(), EchoProtocol),
      beta.connect(alphaEcho.getAddress(), EchoProtocol),
    ]);
    const calls = Array.from({ length: 50 }, (_, i) => [toBeta.echo(`a${i}`), toAlpha.echo(`b${i}`)]).flat();
    expect(await Promise.all(calls)).toHaveLength(100);

    await eventually(
      () => transportOf(alpha).usableAssociationCount() === 1 && transportOf(beta).usableAssociationCount() === 1,
    );
    expect(await toBeta.echo('x')).toBe('x from beta');
    expect(await toAlpha.echo('y')).toBe('y from alpha');
    // Both connections opened; the tie-break retired one of them on both sides.
    await eventually(() =>
      [...alphaLogger.entries, ...betaLogger.entries].some((entry) => entry.message.includes('replaced by')),
    );
    const problems = [...alphaLogger.entries, ...betaLogger.entries].filter(
      (entry) => entry.level === 'warn' || entry.level === 'error',
    );
    expect(problems).toEqual([]);
  });

  test('a server restarted on the same port fails the asks pending on it at once; the gateway handshakes again', async () => {
    const server = await listen('server');
    const port = server.getPort();
    await new EchoEndpoint(server, 'echo').start();
    const client = await listen('client');
    const echo = await client.connect(`nact-rpc://server@127.0.0.1:${port}/echo`, EchoProtocol);
    expect(await echo.echo('1')).toBe('1 from server');

    const pending = Array.from({ length: 10 }, () => echo.hang().catch((error: unknown) => error));
    expect(await echo.echo('2')).toBe('2 from server');
    const started = Date.now();
    await server.closeAsync();
    const errors = await Promise.all(pending);
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const error of errors) expect(error).toBeInstanceOf(RecipientUnreachableError);

    const restarted = await listen('server', port);
    await new EchoEndpoint(restarted, 'echo').start();
    // The gateway's handshake was made with the old incarnation: it is made again first.
    expect(await echo.echo('3')).toBe('3 from server');
    expect(await echo.echo('4')).toBe('4 from server');
  });

  test('a new incarnation of a peer whose old one still has an association closes it, failing its asks at once', async () => {
    const client = await listen('client');
    const clientEcho = new EchoEndpoint(client, 'echo');
    await clientEcho.start();
    const old = await listen('server');
    const port = old.getPort();
    await new EchoEndpoint(old, 'echo').start();
    // The server connects first: the client reuses that connection for calls to the server.
    await old.connect(clientEcho.getAddress(), EchoProtocol);
    const echo = await client.connect(`nact-rpc://server@127.0.0.1:${port}/echo`, EchoProtocol);
    expect(await echo.echo('1')).toBe('1 from server');
    const pending = Array.from({ length: 10 }, () => echo.hang().catch((error: unknown) => error));
    expect(await echo.echo('2')).toBe('2 from server');

    // A new run of the server at the same address, while the old one's death went unnoticed.
    const restarted = await NactRpcService.create({
      name: 'server',
      listen: { port: 0, externalHost: '127.0.0.1', externalPort: port },
      logger: new RecordingLogger(),
      security: { sharedSecret: SECRET },
    });
    services.push(restarted);
    await new EchoEndpoint(restarted, 'echo').start();
    await restarted.connect(clientEcho.getAddress(), EchoProtocol);
    const errors = await Promise.all(pending);
    for (const error of errors) expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((errors[0] as Error).message).toContain('restarted');
    // The gateway makes its handshake again with the new incarnation, then calls reach it.
    expect(await echo.echo('3')).toBe('3 from server');
  });

  test('a peer known only from the connection it opened leaves the peer table when that connection ends', async () => {
    const server = await listen('server');
    const serverEcho = new EchoEndpoint(server, 'echo');
    await serverEcho.start();
    const visitor = await listen('visitor');
    const echo = await visitor.connect(serverEcho.getAddress(), EchoProtocol);
    expect(await echo.echo('1')).toBe('1 from server');
    expect(transportOf(server).peerCount()).toBe(1);
    await visitor.closeAsync();
    await eventually(() => transportOf(server).peerCount() === 0);
    // A peer a gateway asked for stays.
    expect(transportOf(visitor).peerCount()).toBe(1);
  });

  test('a gateway to a restarted peer whose endpoint no longer serves its protocol fails with HandshakeError', async () => {
    const server = await listen('server');
    const port = server.getPort();
    await new EchoEndpoint(server, 'echo').start();
    const client = await listen('client');
    const echo = await client.connect(`nact-rpc://server@127.0.0.1:${port}/echo`, EchoProtocol);
    expect(await echo.echo('1')).toBe('1 from server');
    await server.closeAsync();

    const restarted = await listen('server', port);
    await new OtherEndpoint(restarted, 'echo').start();
    await expect(echo.echo('2')).rejects.toBeInstanceOf(HandshakeError);
  });
});

describe('services that do not authenticate each other', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  test("never send calls on a connection the peer opened: its hello proves nothing, so each side dials the other's address", async () => {
    for (const name of ['alpha', 'beta']) {
      services.push(await NactRpcService.create({ name, listen: { port: 0 }, logger: new RecordingLogger() }));
    }
    const [alpha, beta] = services as [NactRpcService, NactRpcService];
    const alphaEcho = new EchoEndpoint(alpha, 'echo');
    const betaEcho = new EchoEndpoint(beta, 'echo');
    await Promise.all([alphaEcho.start(), betaEcho.start()]);
    const toBeta = await alpha.connect(betaEcho.getAddress(), EchoProtocol);
    expect(await toBeta.echo('1')).toBe('1 from beta');
    // Beta knows alpha only from the connection alpha opened: it is not in beta's peer table.
    expect(transportOf(beta).peerCount()).toBe(0);
    const toAlpha = await beta.connect(alphaEcho.getAddress(), EchoProtocol);
    expect(await toAlpha.echo('2')).toBe('2 from alpha');
    // Each side dialled the other: two connections, each carrying its opener's calls.
    expect(transportOf(alpha).usableAssociationCount()).toBe(2);
    expect(transportOf(beta).usableAssociationCount()).toBe(2);
  });
});
