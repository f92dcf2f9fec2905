import {
  ask,
  defineProtocol,
  RpcBindError,
  RpcEndpoint,
  serves,
  RpcInvalidOptionError,
  SuperJsonCodec,
  type Codec,
  type Logger,
} from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '@nact-rpc/testing';
import { thrownBy, rejectionOf } from '@nact-rpc/testing';
import { occupyPort, type OccupiedPort } from '@nact-rpc/testing';

const codec = new SuperJsonCodec();
const { decode: _decode, ...codecWithoutDecode } = {
  name: codec.name,
  encode: (value: unknown) => codec.encode(value),
  decode: (bytes: Uint8Array) => codec.decode(bytes),
  errorClass: (name: string) => codec.errorClass(name),
};
const { warn: _warn, ...loggerWithoutWarn } = { ...new RecordingLogger() } as unknown as Record<keyof Logger, unknown>;

describe('NactRpcService options', () => {
  test.each<[string, unknown, string, string]>([
    ['options that are not an object', 'workers', 'options', 'got the string "workers"'],
    ['a name with spaces', { name: 'my service' }, 'name', 'got the string "my service"'],
    ['a name that is not a string', { name: 7 }, 'name', 'got 7'],
    ['an askTimeoutMs given as a string', { askTimeoutMs: '5000' }, 'askTimeoutMs', 'got the string "5000"'],
    ['a zero askTimeoutMs', { askTimeoutMs: 0 }, 'askTimeoutMs', 'got 0'],
    [
      'a forceSerialization that is not a boolean',
      { forceSerialization: 'yes' },
      'forceSerialization',
      'got the string "yes"',
    ],
    ['a captureAskCallStack that is not a boolean', { captureAskCallStack: 1 }, 'captureAskCallStack', 'got 1'],
    [
      'a remoteErrorStacks that is not one of its values',
      { remoteErrorStacks: 'local' },
      'remoteErrorStacks',
      'got the string "local"',
    ],
    [
      'a codec without decode',
      { codec: codecWithoutDecode },
      'codec',
      'got an object with keys name, encode, errorClass',
    ],
    ['a codec that is a string', { codec: 'json' }, 'codec', 'got the string "json"'],
    ['a logger without warn', { logger: loggerWithoutWarn }, 'logger', 'got an object with keys'],
    ['a logger that is a function', { logger: console.log }, 'logger', 'got the function log'],
    ['transport options that are not an object', { transport: 1024 }, 'transport', 'got 1024'],
    [
      'a transport.maxFrameSize given as a string',
      { transport: { maxFrameSize: '1mb' } },
      'transport.maxFrameSize',
      'got the string "1mb"',
    ],
  ])('the constructor refuses %s with an RpcInvalidOptionError naming the option', (_, options, option, shown) => {
    const error = thrownBy(() => new NactRpcService(options as NactRpcServiceOptions));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^Invalid ${option.replace('.', '\\.')}: expected `));
    expect(message).toContain(shown);
  });

  test('the constructor says that a listening service is made with create', () => {
    const error = thrownBy(() => new NactRpcService({ listen: { port: 0 } }));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ option: 'listen' });
    expect((error as Error).message).toContain('await NactRpcService.create({ listen })');
  });

  test('a codec or logger of another kind, with every method, is accepted', async () => {
    const json: Codec = {
      name: 'json',
      encode: (value) => Buffer.from(JSON.stringify(value)),
      decode: (bytes) => JSON.parse(Buffer.from(bytes).toString()) as unknown,
      errorClass: () => undefined,
    };
    const service = new NactRpcService({ codec: json, logger: new RecordingLogger(), forceSerialization: true });
    await service.closeAsync();
  });

  test.each<[string, unknown, string, string]>([
    ['options that are not an object', 42, 'options', 'got 42'],
    ['listen options that are null', { listen: null }, 'listen', 'got null'],
    ['listen options that are a port', { listen: 50100 }, 'listen', 'got 50100'],
    ['a malformed listen.port', { listen: { port: '50100..50200' } }, 'listen.port', 'got the string "50100..50200"'],
    ['a listen.host that is not a string', { listen: { host: ['0.0.0.0'] } }, 'listen.host', 'got an array of 1 item'],
    ['a bad option beside listen', { askTimeoutMs: -1, listen: { port: 0 } }, 'askTimeoutMs', 'got -1'],
  ])('create refuses %s with an RpcInvalidOptionError naming the option', async (_, options, option, shown) => {
    const error = await rejectionOf(NactRpcService.create(options as NactRpcServiceOptions));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
    expect((error as Error).message).toContain(shown);
  });
});

describe('NactRpcService.create on a port that cannot be bound', () => {
  let blocker: OccupiedPort;
  let taken: number;
  beforeEach(async () => {
    blocker = await occupyPort();
    taken = blocker.port;
  });
  afterEach(async () => {
    await blocker.release();
  });

  test('rejects with an RpcBindError naming the host and port, whose cause is the Node error', async () => {
    const error = await rejectionOf(NactRpcService.create({ name: 'second', listen: { port: taken } }));
    expect(error).toBeInstanceOf(RpcBindError);
    expect(error).toMatchObject({ code: 'RPC_BIND', host: '127.0.0.1', port: taken });
    expect((error as RpcBindError).cause).toMatchObject({ code: 'EADDRINUSE', syscall: 'listen', port: taken });
    expect((error as Error).message).toContain(
      `Could not listen on 127.0.0.1 port ${taken}: the port is in use (EADDRINUSE).`,
    );
  });

  test('a range given as a string is named as given', async () => {
    const error = await rejectionOf(NactRpcService.create({ listen: { port: `${taken}-${taken}` } }));
    expect(error).toMatchObject({ code: 'RPC_BIND', port: `${taken}-${taken}` });
  });
});

describe('callAsync with an invalid timeout', () => {
  test('rejects with an RpcInvalidOptionError naming timeoutMs', async () => {
    const Proto = defineProtocol('TimeoutArgument', { run: ask<[timeoutMs: number], unknown>() });
    @serves(Proto)
    class Runner extends RpcEndpoint {
      run(timeoutMs: number): Promise<unknown> {
        return this.callAsync(() => 1, timeoutMs);
      }
    }
    const service = new NactRpcService();
    const endpoint = new Runner(service);
    await endpoint.start();
    const error = await rejectionOf(endpoint.getSelfGateway(Proto).run(-1));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({
      option: 'timeoutMs',
      message: 'callAsync: invalid timeoutMs: expected a number of milliseconds from 0, got -1.',
    });
    await service.closeAsync();
  });
});
