import {
  ask,
  defineProtocol,
  RpcInvalidOptionError,
  systemClock,
  tell,
  type AskMethod,
  type FencingToken,
  type TellMethod,
} from '@nact-rpc/core';
import { createGatewayProxy, type GatewayInvoker } from '@nact-rpc/core/internal';

const Base = defineProtocol('Base', { ping: ask<[], string>() });
const Jobs = defineProtocol(
  'Jobs',
  {
    notify: tell<[message: string]>(),
    status: ask<[jobId: string], string>(),
    cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
    first: ask<[timeoutMs: number | undefined, label: string], string>({ timeoutArg: 0 }),
  },
  { extends: [Base] },
);

interface TellCall {
  readonly methodName: string;
  readonly method: TellMethod<never>;
  readonly args: unknown[];
}
interface AskCall {
  readonly methodName: string;
  readonly method: AskMethod<never, unknown>;
  readonly args: unknown[];
  readonly timeoutMs: number | undefined;
  readonly answer: Promise<unknown>;
}

/** A GatewayInvoker that records every call and answers asks with a fresh resolved promise. */
class RecordingInvoker implements GatewayInvoker {
  readonly address = 'nact-rpc://svc@example.org:6123/jobs';
  readonly hostname = 'example.org';
  readonly clock = systemClock;
  readonly tells: TellCall[] = [];
  readonly asks: AskCall[] = [];

  tell(methodName: string, method: TellMethod<never>, args: unknown[]): void {
    this.tells.push({ methodName, method, args });
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
  ): Promise<unknown> {
    const answer = Promise.resolve(`answer to ${methodName}`);
    this.asks.push({ methodName, method, args, timeoutMs, answer });
    return answer;
  }
}

/** A recording invoker of a fenced gateway whose token the test can change. */
class FencedRecordingInvoker extends RecordingInvoker {
  token: FencingToken | undefined = 'leader-1';
  reads = 0;
  readonly fencingToken = (): FencingToken | undefined => {
    this.reads++;
    return this.token;
  };
}

describe('createGatewayProxy', () => {
  let invoker: RecordingInvoker;
  beforeEach(() => {
    invoker = new RecordingInvoker();
  });

  test('has a function for every protocol method, inherited ones included, and the gateway methods', () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    expect(Object.keys(gateway).sort()).toEqual(
      ['cancel', 'first', 'getAddress', 'getHostname', 'notify', 'ping', 'status'].sort(),
    );
    for (const key of Object.keys(gateway)) {
      expect(typeof (gateway as unknown as Record<string, unknown>)[key]).toBe('function');
    }
  });

  test('a tell calls invoker.tell with the method and its arguments and returns undefined', () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    const result: unknown = gateway.notify('hello');
    expect(result).toBeUndefined();
    expect(invoker.tells).toEqual([{ methodName: 'notify', method: Jobs.methods.notify, args: ['hello'] }]);
    expect(invoker.tells[0]?.method).toBe(Jobs.methods.notify);
    expect(invoker.asks).toEqual([]);
  });

  test("an ask settles with the invoker's answer", async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    const answer = gateway.status('job-7');
    expect(invoker.asks).toHaveLength(1);
    const call = invoker.asks[0] as AskCall;
    expect(answer).toBeInstanceOf(Promise);
    expect(call.methodName).toBe('status');
    expect(call.method).toBe(Jobs.methods.status);
    expect(call.args).toEqual(['job-7']);
    await expect(answer).resolves.toBe(await call.answer);
    expect(invoker.tells).toEqual([]);
  });

  test("an ask rejects with the invoker's error itself", async () => {
    const failure = new TypeError('the invoker failed');
    const failing: GatewayInvoker = {
      address: invoker.address,
      hostname: invoker.hostname,
      clock: systemClock,
      tell: () => undefined,
      ask: () => Promise.reject(failure),
    };
    const gateway = createGatewayProxy(Jobs, failing);
    await expect(gateway.status('job-7')).rejects.toBe(failure);
  });

  test('an inherited ask goes to the invoker under its own name', async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    await expect(gateway.ping()).resolves.toBe('answer to ping');
    expect(invoker.asks[0]?.methodName).toBe('ping');
    expect(invoker.asks[0]?.method).toBe(Base.methods.ping);
  });

  test('an ask without a timeout argument passes undefined as timeoutMs even when given numbers', async () => {
    const Numbers = defineProtocol('Numbers', { add: ask<[number, number], number>() });
    const gateway = createGatewayProxy(Numbers, invoker);
    await gateway.add(1, 2);
    expect(invoker.asks[0]?.timeoutMs).toBeUndefined();
    expect(invoker.asks[0]?.args).toEqual([1, 2]);
  });

  test('the value at the timeout position is passed as timeoutMs and kept among the arguments', async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    await gateway.cancel('job-7', 250);
    await gateway.first(40, 'label');
    expect(invoker.asks.map((call) => [call.methodName, call.timeoutMs, call.args])).toEqual([
      ['cancel', 250, ['job-7', 250]],
      ['first', 40, [40, 'label']],
    ]);
  });

  test('a zero timeout is valid', async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    await gateway.cancel('job-7', 0);
    expect(invoker.asks[0]?.timeoutMs).toBe(0);
  });

  test('an undefined or omitted timeout argument passes undefined as timeoutMs', async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    await gateway.cancel('job-7', undefined);
    await gateway.cancel('job-8');
    await gateway.first(undefined, 'label');
    expect(invoker.asks.map((call) => call.timeoutMs)).toEqual([undefined, undefined, undefined]);
    expect(invoker.asks).toHaveLength(3);
  });

  test.each([
    ['a negative number', -1],
    ['NaN', Number.NaN],
    ['a string', '100'],
    ['null', null],
    ['an object', { ms: 5 }],
  ])(
    'a timeout argument that is %s rejects with an RpcInvalidOptionError naming protocol.method, without calling the invoker',
    async (_, timeout) => {
      const gateway = createGatewayProxy(Jobs, invoker);
      let answer: Promise<boolean> | undefined;
      expect(() => {
        answer = gateway.cancel('job-7', timeout as unknown as number);
      }).not.toThrow();
      await expect(answer).rejects.toThrow(RpcInvalidOptionError);
      await expect(answer).rejects.toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'arguments[1]' });
      await expect(answer).rejects.toThrow(
        'Jobs.cancel: invalid arguments[1]: expected a timeout of 0 or more milliseconds',
      );
      await expect(answer).rejects.toThrow(
        `got ${typeof timeout === 'string' ? `the string "${timeout}"` : typeof timeout === 'object' && timeout !== null ? 'an object with keys ms' : String(timeout)}`,
      );
      expect(invoker.asks).toEqual([]);
      expect(invoker.tells).toEqual([]);
    },
  );

  test('getAddress and getHostname are answered by the gateway without a call', () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    expect(gateway.getAddress()).toBe('nact-rpc://svc@example.org:6123/jobs');
    expect(gateway.getHostname()).toBe('example.org');
    expect(invoker.asks).toEqual([]);
    expect(invoker.tells).toEqual([]);
  });

  test('an unfenced gateway has no getFencingToken', () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    expect('getFencingToken' in gateway).toBe(false);
  });

  test('a fenced gateway has getFencingToken, which reads the invoker token on every call', () => {
    const fenced = new FencedRecordingInvoker();
    const gateway = createGatewayProxy(Jobs, fenced);
    expect(gateway.getFencingToken()).toBe('leader-1');
    fenced.token = 'leader-2';
    expect(gateway.getFencingToken()).toBe('leader-2');
    fenced.token = undefined;
    expect(gateway.getFencingToken()).toBeUndefined();
    expect(fenced.reads).toBe(3);
    expect(fenced.asks).toEqual([]);
    expect(fenced.tells).toEqual([]);
  });

  test('a fenced gateway still sends its calls through the invoker', async () => {
    const fenced = new FencedRecordingInvoker();
    const gateway = createGatewayProxy(Jobs, fenced);
    gateway.notify('x');
    await gateway.cancel('job', 10);
    expect(fenced.tells.map((call) => call.methodName)).toEqual(['notify']);
    expect(fenced.asks.map((call) => [call.methodName, call.timeoutMs])).toEqual([['cancel', 10]]);
  });

  test('awaiting a gateway resolves to the gateway itself, which has no then', async () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    expect('then' in gateway).toBe(false);
    // Awaiting a non-thenable is the point: it must resolve to the gateway, not hang.
    // eslint-disable-next-line @typescript-eslint/await-thenable
    const awaited = await gateway;
    expect(awaited).toBe(gateway);
    await expect(Promise.resolve(gateway)).resolves.toBe(gateway);
  });

  test('the gateway object is frozen', () => {
    const gateway = createGatewayProxy(Jobs, invoker);
    expect(Object.isFrozen(gateway)).toBe(true);
    const writable = gateway as unknown as Record<string, unknown>;
    expect(() => {
      writable['status'] = () => 'replaced';
    }).toThrow(TypeError);
    expect(() => {
      writable['extra'] = 1;
    }).toThrow(TypeError);
  });

  test('two gateways built on one invoker are independent objects', () => {
    const first = createGatewayProxy(Jobs, invoker);
    const second = createGatewayProxy(Jobs, invoker);
    expect(first).not.toBe(second);
    first.notify('a');
    second.notify('b');
    expect(invoker.tells.map((call) => call.args)).toEqual([['a'], ['b']]);
  });
});
