import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { encodeHello, encodeRequestHeader, WIRE_MAGIC, WIRE_VERSION, WireKind } from '@nact-rpc/transport/internal';
import type { JsonLogLine } from '../fixtures/src/fuzzHooks';
import type { MemoryProbe } from '../fixtures/src/memoryProbe';
import { AdminProtocol, EchoProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { ChildService, stopAllChildren } from '../support/ChildService';
import { RecordingLogger } from '@nact-rpc/testing';
import { eventLoopTurns } from '@nact-rpc/testing';
import { peerEnded } from '../support/peerEnded';

const MiB = 1024 * 1024;
const codec = fixtureCodec();

/** A length-prefixed frame. */
function frame(payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length, 0);
  return Buffer.concat([header, payload]);
}

/** A raw peer's hello. */
function helloFrame(name: string): Buffer {
  return frame(
    encodeHello(WireKind.Hello, {
      magic: WIRE_MAGIC,
      wireVersion: WIRE_VERSION,
      serviceName: name,
      incarnation: `${name}-run-1`,
      codec: codec.name,
      maxFrameSize: 4 * MiB,
    }),
  );
}

/** Connects a raw socket to `port`; errors (resets) are expected and ignored. */
async function rawSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** The JSON log lines of the child at `warn` and above. */
function logLines(file: string): JsonLogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as JsonLogLine);
}

/** `process.memoryUsage()` numbers in MiB, for the test's output. */
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

describe('output limits across processes', () => {
  let client: NactRpcService | undefined;
  let logDir: string;
  const sockets: Socket[] = [];
  beforeEach(() => {
    logDir = mkdtempSync(join(tmpdir(), 'output-limits-'));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await client?.closeAsync();
    client = undefined;
    await stopAllChildren();
    rmSync(logDir, { recursive: true, force: true });
  });

  test('a peer that asks for large answers and never reads is cut at maxOutputBytes; what the server holds stays bounded; others are served', async () => {
    const maxOutputBytes = 8 * MiB;
    const logFile = join(logDir, 'server.log');
    const server = await ChildService.start({
      transport: { maxFrameSize: 2 * MiB, maxOutputBytes },
      logFile,
    });
    client = new NactRpcService({ name: 'client', codec, logger: new RecordingLogger() });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const admin = await client.connect(server.address('admin'), AdminProtocol);
    expect(await echo.big(MiB)).toHaveLength(MiB);
    const before: MemoryProbe = await admin.memoryUsage(true);

    const slow = await rawSocket(server.port);
    sockets.push(slow);
    const slowClosed = peerEnded(slow);
    slow.write(helloFrame('slow-reader'));
    await once(slow, 'data'); // the HelloAccept: from now on this peer reads nothing
    slow.pause();
    const asks = 256;
    const requests: Buffer[] = [];
    for (let callId = 1; callId <= asks; callId++) {
      const header = encodeRequestHeader(callId, 'echo', 'EchoGateway', 'big', undefined);
      requests.push(frame(Buffer.concat([header, codec.encode([MiB])])));
    }
    slow.write(Buffer.concat(requests));
    // The endpoint's mailbox runs in order: once this is answered, all its answers were produced.
    await eventLoopTurns(10);
    expect(await echo.echo(1)).toBe(1);
    // Every answer is produced; the slow peer still connected, reading nothing. Without the
    // limit, 256 MiB of answers would wait in its socket's buffer. Measured after a full
    // collection, what the server holds stays within the limit plus a small margin. (The peak
    // RSS is printed too: it also counts answers encoded and not yet collected, and depends on
    // when the collector runs, from 14 MiB of growth alone to over 100 MiB on a loaded machine.)
    const after: MemoryProbe = await admin.memoryUsage(true);
    const held = (probe: MemoryProbe): number => probe.heapUsed + probe.external;
    const growth = held(after) - held(before);
    const margin = 16 * MiB;
    process.stdout.write(
      `slow reader: held after a collection ${mib(held(before))} -> ${mib(held(after))} (growth ${mib(growth)}), ` +
        `limit ${mib(maxOutputBytes)} + margin ${mib(margin)}; peak RSS ${mib(before.rss)} -> ${mib(after.maxRss)}\n`,
    );

    // The cut was logged once, with its reason, and the slow peer gets less than it asked for.
    const cuts = logLines(logFile).filter((line) => line.message.includes('the peer does not read'));
    expect(cuts).toHaveLength(1);
    expect(cuts[0]?.message).toMatch(/bytes wait to be sent, over maxOutputBytes \(8388608\)/);
    let received = 0;
    slow.on('data', (chunk: Buffer) => (received += chunk.length));
    slow.resume();
    await slowClosed;
    expect(received).toBeLessThan((asks * MiB) / 2);

    // Meanwhile, and after, a well-behaved client is served.
    for (let i = 0; i < 5; i++) expect(await echo.big(MiB)).toHaveLength(MiB);

    expect(growth).toBeLessThan(maxOutputBytes + margin);
  }, 30_000);

  test('10,000 connections that open and drop (some with half a hello) leave the server as it was', async () => {
    const server = await ChildService.start();
    client = new NactRpcService({ name: 'client', codec, logger: new RecordingLogger() });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const admin = await client.connect(server.address('admin'), AdminProtocol);
    const halfHello = helloFrame('half').subarray(0, 20);

    const churn = async (count: number): Promise<void> => {
      const parallel = 100;
      for (let done = 0; done < count; done += parallel) {
        await Promise.all(
          Array.from({ length: parallel }, async (_, i) => {
            const socket = await rawSocket(server.port);
            if ((done + i) % 3 === 0) socket.write(halfHello);
            const closed = peerEnded(socket);
            if ((done + i) % 2 === 0) socket.end();
            else socket.destroy();
            await closed;
          }),
        );
      }
    };
    // A first round takes the process to its steady state: compiled code, pools, and the
    // allocator's high-water mark (RSS after 10,000 connections stays there, round after round).
    await churn(10_000);
    expect(await echo.echo(1)).toBe(1);
    const before: MemoryProbe = await admin.memoryUsage(true);
    await churn(10_000);
    expect(await echo.echo(2)).toBe(2);
    const after: MemoryProbe = await admin.memoryUsage(true);

    process.stdout.write(
      `10,000 connects: heap ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}, RSS ${mib(before.rss)} -> ${mib(after.rss)}\n`,
    );
    // Nothing is kept per connection once it has closed, not even for a while (a timer that holds
    // the socket until it fires): 10,000 sockets kept are over 10 MiB of heap. The margin is for
    // what the process allocates as it goes (code, pools), measured after a full collection.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(2 * MiB);
    expect(after.rss - before.rss).toBeLessThan(16 * MiB);
  }, 30_000);

  test('tells to a silent peer: one line counts those the cut connection could not deliver; drops while reconnecting do not flood', async () => {
    const server = await ChildService.start();
    const logger = new RecordingLogger();
    const sender = new NactRpcService({
      name: 'client',
      codec,
      logger,
      transport: { maxFrameSize: 256 * 1024, maxOutputBytes: MiB, maxQueuedMessages: 1_000, connectTimeoutMs: 500 },
    });
    client = sender;
    // The public metric hook: NactRpcService.getTransportStats.
    const transport = { stats: () => sender.getTransportStats() };
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(1)).toBe(1);
    server.signal('SIGSTOP');

    // Tells go out in batches, one per turn, until the kernel's buffers and then the limit fill.
    let sent = 0;
    const cut = (): boolean => logger.find('warn', 'the peer does not read').length > 0;
    while (!cut() && sent < 2_000_000) {
      // The cut happens within a tell: none is sent after it.
      for (let i = 0; i < 1_000 && !cut(); i++) echo.note(sent++);
      await eventLoopTurns();
    }

    const lines = logger.find('warn', 'the peer does not read');
    expect(lines).toHaveLength(1);
    const counted = /; (\d+) tells? written to it could not be delivered/.exec(lines[0]?.message ?? '');
    expect(counted).not.toBeNull();
    const lost = Number(counted?.[1]);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(sent);
    expect(transport.stats().tellsLostBy.connectionLost).toBe(lost);
    expect(transport.stats().tellsLost).toBe(lost);
    expect(logger.find('warn', 'could not be delivered')).toHaveLength(1);
    expect(logger.entries.filter((entry) => entry.message.includes('Dropped tell'))).toHaveLength(0);

    // The connection was cut without a goodbye: the peer is unreachable until one opens again,
    // so 20,000 more tells fail at once (each lets a reconnection be tried in the background).
    // A few lines, not 20,000.
    for (let i = 0; i < 20_000; i++) echo.note(i);
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (transport.stats().tellsLost === lost + 20_000) resolve();
        else setTimeout(check, 50);
      };
      check();
    });
    const { tellsLostBy } = transport.stats();
    expect(tellsLostBy.queueFull).toBe(0);
    expect(tellsLostBy.notConnected).toBe(20_000);
    await client.closeAsync();
    client = undefined;
    process.stdout.write(
      `silent peer: ${sent} tells sent, ${lost} not delivered, then ${JSON.stringify(tellsLostBy)}\n`,
    );
    const dropLines = logger.entries.filter((entry) => /Dropped (tell|\d+ more tell)/.test(entry.message));
    expect(dropLines.length).toBeGreaterThanOrEqual(2);
    expect(dropLines.length).toBeLessThanOrEqual(4);
    const summed = dropLines.reduce((sum, entry) => {
      const more = /Dropped (\d+) more tell/.exec(entry.message);
      return sum + (more === null ? 1 : Number(more[1]));
    }, 0);
    expect(summed).toBe(20_000);
  }, 30_000);
});
