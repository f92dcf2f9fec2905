import { connect, type Socket } from 'node:net';
import { RecipientUnreachableError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { RecordingLogger } from '@nact-rpc/testing';
import { ChildService, stopAllChildren } from '../support/ChildService';

describe('remote load, protocol errors and shutdown', () => {
  let client: NactRpcService;
  let logger: RecordingLogger;
  let server: ChildService;

  beforeEach(async () => {
    server = await ChildService.start();
    logger = new RecordingLogger();
    client = new NactRpcService({ name: 'client', codec: fixtureCodec(), logger, askTimeoutMs: 3_600_000 });
  });
  afterEach(async () => {
    await client.closeAsync();
    await stopAllChildren();
  });

  test('100,000 concurrent remote asks each resolve to their own answer', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const calls: Promise<number>[] = [];
    for (let i = 0; i < 100_000; i++) calls.push(echo.echo(i));
    const answers = await Promise.all(calls);
    const wrong = answers.filter((answer, index) => answer !== index);
    expect(answers).toHaveLength(100_000);
    expect(wrong).toEqual([]);
  }, 60_000);

  test('an oversized length prefix closes only that connection; other clients keep working', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(1)).toBe(1);
    const raw = await rawConnection(server.port);
    const received: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    // Declares 4 GiB - 1: far over the maximum. The server must refuse it at once, saying why.
    raw.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await closed;
    expect(Buffer.concat(received).toString('utf8')).toContain('a frame declares 4294967295 bytes, over the maximum');
    expect(await echo.echo(2)).toBe(2);
  });

  test('a server that closes answers what it can, fails the rest at once, and the client sees a clean close', async () => {
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const hanging = Array.from({ length: 10 }, () => echo.hang());
    expect(await echo.echo(1)).toBe(1);
    server.signal('SIGTERM');
    const settled = await Promise.allSettled(hanging);
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(RecipientUnreachableError);
    }
    expect(((settled[0] as PromiseRejectedResult).reason as Error).message).toContain('closed the connection');
    expect(await server.exited()).toEqual({ code: 0, signal: null });
    expect(logger.find('info', 'ended')).not.toHaveLength(0);
    expect(logger.entries.filter((entry) => entry.level === 'warn' || entry.level === 'error')).toEqual([]);
  });
});

function rawConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}
