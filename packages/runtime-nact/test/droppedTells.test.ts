import { ask, defineProtocol, RpcEndpoint, serves, tell, TypedCodec, type GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger, type LogEntry } from '@nact-rpc/testing';
import { flushMailboxes } from '@nact-rpc/testing';

const NotesProtocol = defineProtocol('NotesGateway', {
  note: tell<[text: unknown]>(),
  count: ask<[], number>(),
});

@serves(NotesProtocol)
class NotesEndpoint extends RpcEndpoint {
  notes: unknown[] = [];

  note(text: unknown): void {
    this.notes.push(text);
  }

  count(): number {
    return this.notes.length;
  }
}

/** How many times `text` occurs in `message`. */
function occurrences(message: string, text: string): number {
  return message.split(text).length - 1;
}

/** The messages of the entries that start with `Dropped`, in order: at `level`, or above `debug`. */
function droppedLines(logger: RecordingLogger, level?: string): string[] {
  return logger.entries
    .filter((entry) => (level === undefined ? entry.level !== 'debug' : entry.level === level))
    .filter((entry) => entry.message.startsWith('Dropped'))
    .map((entry) => entry.message);
}

/** The one entry whose message starts with `Dropped tell`; fails the test if there are others. */
function theDroppedTell(logger: RecordingLogger): LogEntry {
  const dropped = logger.entries.filter((entry) => entry.message.startsWith('Dropped tell'));
  expect(dropped).toHaveLength(1);
  return dropped[0] as LogEntry;
}

describe('the log line of a dropped tell', () => {
  const services: NactRpcService[] = [];
  const track = <T extends NactRpcService>(service: T): T => {
    services.push(service);
    return service;
  };
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  /** A listening service (with `codec`, if given) with a started Notes endpoint, and a remote client's gateway to it. */
  async function remoteNotes(codec?: TypedCodec): Promise<{
    logger: RecordingLogger;
    server: NactRpcService;
    endpoint: NotesEndpoint;
    gateway: GatewayOf<typeof NotesProtocol>;
  }> {
    const logger = new RecordingLogger();
    const server = track(
      await NactRpcService.create({
        name: 'server',
        logger,
        listen: { port: 0 },
        ...(codec === undefined ? {} : { codec }),
      }),
    );
    const endpoint = new NotesEndpoint(server, 'notes-1');
    await endpoint.start();
    const client = track(new NactRpcService({ name: 'client', logger: new RecordingLogger() }));
    const gateway = await client.connect(endpoint.getAddress(), NotesProtocol);
    return { logger, server, endpoint, gateway };
  }

  test('to an endpoint that is not started says what, to which endpoint and why, once each', async () => {
    const logger = new RecordingLogger();
    const service = track(new NactRpcService({ name: 'notes', logger }));
    const endpoint = new NotesEndpoint(service, 'notes-1');
    const gateway = await service.connect(endpoint.getAddress(), NotesProtocol);

    gateway.note('lost');
    await flushMailboxes();

    const entry = theDroppedTell(logger);
    expect(entry.level).toBe('warn');
    expect(entry.message).toBe(
      `Dropped tell NotesGateway.note to endpoint notes-1 (NotesEndpoint) at ${endpoint.getAddress()}: ` +
        'the endpoint has not been started (or was stopped).',
    );
    expect(occurrences(entry.message, 'NotesGateway.note')).toBe(1);
    expect(occurrences(entry.message, 'Discarded')).toBe(0);
  });

  test('the matching ask is refused with an error that says the same once', async () => {
    const service = track(new NactRpcService({ name: 'notes', logger: new RecordingLogger() }));
    const endpoint = new NotesEndpoint(service, 'notes-1');
    const gateway = await service.connect(endpoint.getAddress(), NotesProtocol);

    await expect(gateway.count()).rejects.toThrow(
      `Refused ask NotesGateway.count to endpoint notes-1 (NotesEndpoint) at ${endpoint.getAddress()}: ` +
        'the endpoint has not been started (or was stopped).',
    );
  });

  test('whose argument the codec refuses names the call and the recipient once, then the codec’s reason', async () => {
    const logger = new RecordingLogger();
    const service = track(new NactRpcService({ name: 'notes', logger, forceSerialization: true }));
    const endpoint = new NotesEndpoint(service, 'notes-1');
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), NotesProtocol);

    gateway.note(() => 'a function');

    const entry = theDroppedTell(logger);
    expect(entry.level).toBe('error');
    expect(entry.message).toBe(
      `Dropped tell NotesGateway.note to ${endpoint.getAddress()}: the typed codec cannot serialize its arguments: ` +
        'Cannot serialize a function at [0]',
    );
    expect(occurrences(entry.message, endpoint.getAddress())).toBe(1);
    expect(await gateway.count()).toBe(0);
  });

  test('to an endpoint that has terminated says so once, and in a loop ten at a time, then a count', async () => {
    const logger = new RecordingLogger();
    const service = track(new NactRpcService({ name: 'notes', logger }));
    const endpoint = new NotesEndpoint(service, 'notes-1');
    await endpoint.start();
    const gateway = await service.connect(endpoint.getAddress(), NotesProtocol);
    await endpoint.closeAsync();

    gateway.note('too late');
    await flushMailboxes();
    expect(theDroppedTell(logger).message).toBe(
      `Dropped tell NotesGateway.note to ${endpoint.getAddress()}: the endpoint has terminated.`,
    );

    for (let i = 1; i < 100; i++) gateway.note(i);
    await flushMailboxes();

    expect(droppedLines(logger)).toHaveLength(10);
    await service.closeAsync();
    expect(droppedLines(logger)).toEqual([
      ...Array.from(
        { length: 10 },
        () => `Dropped tell NotesGateway.note to ${endpoint.getAddress()}: the endpoint has terminated.`,
      ),
      'Dropped 90 more messages in 10 s (not logged one by one).',
    ]);
  });

  test('over the maximum frame size of a remote call gives the size and the limit once', async () => {
    const server = track(
      await NactRpcService.create({ name: 'server', logger: new RecordingLogger(), listen: { port: 0 } }),
    );
    const endpoint = new NotesEndpoint(server, 'notes-1');
    await endpoint.start();
    const logger = new RecordingLogger();
    const client = track(new NactRpcService({ name: 'client', logger, transport: { maxFrameSize: 1024 } }));
    const gateway = await client.connect(endpoint.getAddress(), NotesProtocol);

    gateway.note('x'.repeat(2_000));

    const entry = theDroppedTell(logger);
    expect(entry.message).toMatch(
      new RegExp(
        `^Dropped tell NotesGateway\\.note to ${endpoint.getAddress().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ` +
          'the request is \\d+ bytes, over the maximum frame size of 1024 bytes\\.$',
      ),
    );
    expect(await gateway.count()).toBe(0);
  });

  test('that reaches a service which no longer has the endpoint is logged there once, naming the sender', async () => {
    const { logger, endpoint, gateway } = await remoteNotes();
    await endpoint.closeAsync();

    gateway.note('nobody home');
    // Requests on one connection are handled in order: once the ask fails, the tell was handled.
    await expect(gateway.count()).rejects.toThrow('has no endpoint notes-1');

    const entry = theDroppedTell(logger);
    expect(entry.message).toMatch(
      /^Dropped tell NotesGateway\.note from service client: service server has no endpoint notes-1 \(it was never started, or has terminated\)\.$/,
    );
  });

  test('whose arguments the endpoint cannot decode, sent again and again, are logged ten at a time, then counted', async () => {
    const codec = new TypedCodec({ limits: { maxStringLength: 10 } });
    const { logger, server, gateway } = await remoteNotes(codec);

    for (let i = 0; i < 1_000; i++) gateway.note('x'.repeat(100));
    // Messages from one sender are handled in order: once counted, every tell was.
    expect(await gateway.count()).toBe(0);

    expect(droppedLines(logger)).toHaveLength(10);
    expect(droppedLines(logger)[0]).toMatch(
      /^Dropped tell NotesGateway\.note to endpoint notes-1 .*: could not deserialize its arguments: Refused to decode: a string of 100 characters is over the decode limit maxStringLength \(10\)$/,
    );
    await server.closeAsync();
    expect(droppedLines(logger)).toHaveLength(11);
    expect(droppedLines(logger)[10]).toBe('Dropped 990 more messages in 10 s (not logged one by one).');
    // Each of those at debug, for a logger that keeps them.
    expect(droppedLines(logger, 'debug')).toHaveLength(990);
  });

  test('that keep reaching a service which no longer has the endpoint are logged ten at a time, then counted', async () => {
    const { logger, server, endpoint, gateway } = await remoteNotes();
    await endpoint.closeAsync();

    // A peer whose gateway outlived the endpoint, or one that sends them on purpose.
    for (let i = 0; i < 1_000; i++) gateway.note(i);
    await expect(gateway.count()).rejects.toThrow('has no endpoint notes-1');

    expect(droppedLines(logger)).toHaveLength(10);
    expect(
      droppedLines(logger).every((line) => line.startsWith('Dropped tell NotesGateway.note from service client')),
    ).toBe(true);
    // The rest are summed up in one line when the window ends, or when the service closes.
    await server.closeAsync();
    expect(droppedLines(logger)).toHaveLength(11);
    expect(droppedLines(logger)[10]).toBe(
      'Dropped 990 more tells from peers to endpoints service server does not have in 10 s (not logged one by one).',
    );
  });
});
