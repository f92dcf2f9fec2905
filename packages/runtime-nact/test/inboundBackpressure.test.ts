import { ask, defineProtocol, RpcEndpoint, serves, tell, type LogLevel } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { TransportOptions } from '@nact-rpc/transport';
import type { NactRpcServer } from '../src/NactRpcServer';
import { deferred, type Deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { eventLoopTurns, VirtualClock } from '@nact-rpc/testing';

const FloodProtocol = defineProtocol('FloodGateway', {
  record: tell<[n: number, padding: string]>(),
  echo: ask<[n: number, padding: string], number>(),
});

const FastProtocol = defineProtocol('FastGateway', {
  twice: ask<[n: number], number>(),
});

/**
 * An endpoint whose `onStart` waits for {@link gate}: until it opens, the endpoint's mailbox
 * is held and every message sent to it waits there. It records what it runs, in order.
 */
@serves(FloodProtocol)
class BlockedEndpoint extends RpcEndpoint {
  readonly gate = deferred();
  readonly seen: number[] = [];
  /** Resolves once `expected` calls have run. */
  done: Deferred<void> = deferred();
  expected = Number.POSITIVE_INFINITY;

  protected override onStart(): Promise<void> {
    return this.gate.promise;
  }

  record(n: number): void {
    this.seen.push(n);
    if (this.seen.length === this.expected) this.done.resolve();
  }

  echo(n: number): number {
    this.record(n);
    return n;
  }

  /** The endpoint's server, whose mailbox the test watches. */
  server(): NactRpcServer {
    return this.rpcServer as NactRpcServer;
  }
}

@serves(FastProtocol)
class FastEndpoint extends RpcEndpoint {
  twice(n: number): number {
    return 2 * n;
  }
}

/** A {@link RecordingLogger} that can also wait for an entry. */
class WatchedLogger extends RecordingLogger {
  private readonly watchers: { level: LogLevel; text: string; found: () => void }[] = [];

  override debug(message: string, details?: Record<string, unknown>): void {
    super.debug(message, details);
    this.notify('debug', message);
  }

  /** Resolves once an entry at `level` containing `text` has been logged (at once if one was). */
  whenLogged(level: LogLevel, text: string): Promise<void> {
    if (this.find(level, text).length > 0) return Promise.resolve();
    return new Promise((found) => this.watchers.push({ level, text, found }));
  }

  private notify(level: LogLevel, message: string): void {
    for (const watcher of this.watchers.filter((w) => w.level === level && message.includes(w.text))) {
      this.watchers.splice(this.watchers.indexOf(watcher), 1);
      watcher.found();
    }
  }
}

const LIMIT = 100;
/**
 * Short heartbeats, so that a pause lasts several dead-peer timeouts. The services run on one
 * VirtualClock: a machine that stalls the event loop stalls their time with it, so no verdict
 * comes from the machine's load.
 */
const transport: TransportOptions = { maxInboundBacklog: LIMIT, heartbeatIntervalMs: 20, heartbeatTimeoutMs: 200 };
/** Sent with every call, so that one socket read carries fewer of them. */
const PADDING = 'x'.repeat(200);
/** How many bytes one socket read hands over at most (libuv reads into 64 KiB buffers). */
const READ_CHUNK_BYTES = 64 * 1024;
/**
 * The fewest bytes a request frame to `blocked` takes: length prefix, kind, call id, the
 * endpoint id, protocol and method strings with their lengths, the fencing token byte, and
 * at least the padding of the arguments.
 */
const MIN_FRAME_BYTES =
  4 + 1 + 4 + (2 + 'blocked'.length) + (2 + 'FloodGateway'.length) + (2 + 'echo'.length) + 1 + PADDING.length;
/** The most the mailbox may hold: the limit, plus the frames one read can carry (376). */
const BOUND = LIMIT + Math.floor(READ_CHUNK_BYTES / MIN_FRAME_BYTES);
const FLOOD = 2_000;
/** How long the test keeps the connection paused: several heartbeat timeouts. */
const PAUSED_FOR_MS = 700;

/**
 * Calls `send(n)` for n from 0 to FLOOD - 1, in slices that each leave the event loop a turn:
 * all the services run in this one process, and heartbeats must not starve.
 */
async function flood(send: (n: number) => void): Promise<void> {
  for (let n = 0; n < FLOOD; n++) {
    send(n);
    if (n % 200 === 199) await eventLoopTurns();
  }
}

describe('inbound backpressure: a connection is not read while an endpoint has too much waiting', () => {
  jest.setTimeout(15_000);
  const services: NactRpcService[] = [];
  let clock: VirtualClock;
  let serverLog: WatchedLogger;
  let clientLog: RecordingLogger;
  let otherClientLog: RecordingLogger;
  let blocked: BlockedEndpoint;
  let fast: FastEndpoint;
  let client: NactRpcService;
  let otherClient: NactRpcService;
  /** The largest backlog the blocked endpoint's mailbox had right after a request was posted. */
  let maxBacklog: number;

  beforeEach(async () => {
    serverLog = new WatchedLogger();
    clientLog = new RecordingLogger();
    otherClientLog = new RecordingLogger();
    clock = new VirtualClock();
    const server = await NactRpcService.create({
      name: 'server',
      listen: { port: 0 },
      transport,
      logger: serverLog,
      clock,
    });
    client = await NactRpcService.create({ name: 'client-1', transport, logger: clientLog, clock });
    otherClient = await NactRpcService.create({ name: 'client-2', transport, logger: otherClientLog, clock });
    services.push(server, client, otherClient);
    blocked = new BlockedEndpoint(server, 'blocked');
    fast = new FastEndpoint(server, 'fast');
    await fast.start();
    maxBacklog = 0;
    const rpcServer = blocked.server();
    const post = rpcServer.post.bind(rpcServer);
    rpcServer.post = (message) => {
      const posted = post(message);
      maxBacklog = Math.max(maxBacklog, rpcServer.backlog.size);
      return posted;
    };
  });

  afterEach(async () => {
    blocked.gate.resolve();
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  /**
   * With the connection from client-1 paused: the mailbox is within its bound and stops
   * growing, client-2 is served meanwhile, and nobody declares anybody dead.
   */
  async function whilePaused(): Promise<void> {
    await serverLog.whenLogged('debug', 'Stopped reading from service client-1');
    const atPause = blocked.server().backlog.size;
    expect(atPause).toBeGreaterThan(LIMIT);
    expect(maxBacklog).toBeLessThanOrEqual(BOUND);
    expect(maxBacklog).toBeLessThan(FLOOD);

    const gateway = await otherClient.connect(fast.getAddress(), FastProtocol);
    const started = clock.now();
    let calls = 0;
    while (clock.now() - started < PAUSED_FOR_MS) {
      await expect(gateway.twice(calls)).resolves.toBe(2 * calls);
      calls++;
      // Heartbeats go both ways meanwhile, on the clock: the paused side still sends.
      await clock.advance(10);
    }
    expect(calls).toBeGreaterThan(5);

    expect(blocked.server().backlog.size).toBe(atPause);
    expect(serverLog.find('debug', 'Resumed reading')).toEqual([]);
    for (const logger of [serverLog, clientLog, otherClientLog]) {
      expect(logger.find('warn', 'declaring it dead')).toEqual([]);
      expect(logger.find('error', '')).toEqual([]);
    }
    expect(blocked.seen).toEqual([]);
  }

  function expectAllResumed(): void {
    const stops = serverLog.find('debug', 'Stopped reading from service client-1');
    expect(stops.length).toBeGreaterThan(0);
    expect(stops[0]?.message).toContain(`over maxInboundBacklog (${LIMIT}); reading resumes at ${LIMIT / 2}`);
    expect(serverLog.find('debug', 'Resumed reading from service client-1')).toHaveLength(stops.length);
    expect(maxBacklog).toBeLessThanOrEqual(BOUND);
  }

  test('a flood of tells pauses the connection; once the endpoint works, every tell runs, in order', async () => {
    const gateway = await client.connect(blocked.getAddress(), FloodProtocol);
    blocked.expected = FLOOD;
    const started = blocked.start();
    await flood((n) => gateway.record(n, PADDING));

    await whilePaused();

    blocked.gate.resolve();
    await started;
    await blocked.done.promise;
    expect(blocked.seen).toEqual(Array.from({ length: FLOOD }, (_, n) => n));
    expectAllResumed();
    expect(serverLog.find('warn', 'Dropped')).toEqual([]);
  });

  test('a flood of asks pauses the connection; once the endpoint works, every ask is answered, in order', async () => {
    const gateway = await client.connect(blocked.getAddress(), FloodProtocol);
    blocked.expected = FLOOD;
    const started = blocked.start();
    const answers: Promise<number>[] = [];
    await flood((n) => answers.push(gateway.echo(n, PADDING)));

    await whilePaused();

    blocked.gate.resolve();
    await started;
    await expect(Promise.all(answers)).resolves.toEqual(Array.from({ length: FLOOD }, (_, n) => n));
    expect(blocked.seen).toEqual(Array.from({ length: FLOOD }, (_, n) => n));
    expectAllResumed();
  });

  test('a connection paused for an endpoint that terminates is read again', async () => {
    const gateway = await client.connect(blocked.getAddress(), FloodProtocol);
    blocked.expected = FLOOD;
    const started = blocked.start();
    await flood((n) => gateway.record(n, PADDING));
    await serverLog.whenLogged('debug', 'Stopped reading from service client-1');

    const terminated = blocked.closeAsync();
    blocked.gate.resolve();
    await started;
    await terminated;
    await serverLog.whenLogged('debug', 'Resumed reading from service client-1');
    // The connection works again: an ask to another endpoint on it is answered.
    const other = await client.connect(fast.getAddress(), FastProtocol);
    await expect(other.twice(21)).resolves.toBe(42);
    expectAllResumed();
  });
});
