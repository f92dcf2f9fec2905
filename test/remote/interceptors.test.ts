import {
  ask,
  defineProtocol,
  RpcEndpoint,
  RpcInvalidOptionError,
  RpcInvalidStateError,
  RpcPermissionDeniedError,
  serves,
  tell,
  withCallOptions,
  type CallInterceptor,
  type IncomingCall,
  type OutgoingCall,
  type ServeInterceptor,
} from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { RecordingLogger, rejectionOf, thrownBy } from '@nact-rpc/testing';

const Accounts = defineProtocol('Accounts', {
  balance: ask<[account: string], number>(),
  close: ask<[account: string], void>(),
  audit: tell<[line: string]>(),
  whoAsks: ask<[], string | undefined>(),
});

@serves(Accounts)
class AccountsEndpoint extends RpcEndpoint {
  runs: string[] = [];
  audits: string[] = [];

  balance(account: string): Promise<number> {
    this.runs.push(`balance ${account}`);
    return Promise.resolve(42);
  }

  close(account: string): void {
    this.runs.push(`close ${account}`);
  }

  audit(line: string): void {
    this.audits.push(line);
  }

  whoAsks(): string | undefined {
    return this.getCallContext().metadata['user'];
  }
}

/** Lets only admins close accounts: refuses before the method runs. */
const onlyAdminsClose: ServeInterceptor = (call, next) => {
  if (call.method === 'close' && call.metadata['role'] !== 'admin') {
    throw new RpcPermissionDeniedError(`${call.protocol}.${call.method} needs role admin`);
  }
  return next();
};

describe.each([
  ['within the process', false],
  ['across the wire', true],
])('interceptors, %s', (_where, remote) => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  /** A server with `serving` and a client with `calling`, and the client's gateway to the server's endpoint. */
  async function setUp(serving: NactRpcServiceOptions, calling: NactRpcServiceOptions) {
    const server = remote
      ? await NactRpcService.create({ name: 'bank', listen: { port: 0 }, ...serving })
      : new NactRpcService({
          name: 'bank',
          ...serving,
          interceptors: { ...serving.interceptors, ...calling.interceptors },
        });
    const client = remote ? new NactRpcService({ name: 'teller', ...calling }) : server;
    services.push(server);
    if (client !== server) services.push(client);
    const endpoint = new AccountsEndpoint(server, 'accounts');
    await endpoint.start();
    return { endpoint, accounts: await client.connect(endpoint.getAddress(), Accounts) };
  }

  test('a serving interceptor refuses a call before the endpoint runs, and lets others through', async () => {
    const { endpoint, accounts } = await setUp({ interceptors: { serves: [onlyAdminsClose] } }, {});
    const refused = await rejectionOf(accounts.close('acc-1'));
    expect(refused).toBeInstanceOf(RpcPermissionDeniedError);
    expect((refused as RpcPermissionDeniedError).code).toBe('RPC_PERMISSION_DENIED');
    expect((refused as Error).message).toBe('Accounts.close needs role admin');
    expect(endpoint.runs).toEqual([]);
    await withCallOptions(accounts, { metadata: { role: 'admin' } }).close('acc-1');
    expect(await accounts.balance('acc-2')).toBe(42);
    expect(endpoint.runs).toEqual(['close acc-1', 'balance acc-2']);
  });

  test('interceptors measure: the calling side sees the result and the time, the serving side the method', async () => {
    const seen: string[] = [];
    const timing: CallInterceptor = async (call: OutgoingCall, next) => {
      const started = performance.now();
      try {
        const result = await next();
        seen.push(`call ${call.kind} ${call.protocol}.${call.method}(${call.args.join()}) -> ${String(result)}`);
        return result;
      } finally {
        expect(performance.now() - started).toBeGreaterThanOrEqual(0);
      }
    };
    const serving: ServeInterceptor = (call: IncomingCall, next) => {
      const result = next();
      seen.push(
        `serve ${call.kind} ${call.method} at ${call.endpointId}, ${result instanceof Promise ? 'async' : 'sync'}`,
      );
      return result;
    };
    const { accounts } = await setUp({ interceptors: { serves: [serving] } }, { interceptors: { calls: [timing] } });
    expect(await accounts.balance('acc-9')).toBe(42);
    expect(seen).toEqual(['serve ask balance at accounts, async', 'call ask Accounts.balance(acc-9) -> 42']);
  });

  test('a calling interceptor adds metadata, which the endpoint reads from its call context', async () => {
    const asUser: CallInterceptor = (call, next) => {
      call.metadata['user'] = 'ada';
      return next();
    };
    const { accounts } = await setUp({}, { interceptors: { calls: [asUser] } });
    expect(await accounts.whoAsks()).toBe('ada');
  });

  test('interceptors run in order, the first outermost', async () => {
    const order: string[] = [];
    const named =
      (name: string): ServeInterceptor =>
      (_call, next) => {
        order.push(`${name} in`);
        const result = next();
        order.push(`${name} out`);
        return result;
      };
    const { accounts } = await setUp({ interceptors: { serves: [named('outer'), named('inner')] } }, {});
    await accounts.close('acc-3');
    expect(order).toEqual(['outer in', 'inner in', 'inner out', 'outer out']);
  });

  test('a serving interceptor that calls next() after an await fails the call: the method must run in its main thread', async () => {
    const late: ServeInterceptor = async (_call, next) => {
      await Promise.resolve();
      return next();
    };
    const { endpoint, accounts } = await setUp({ interceptors: { serves: [late] } }, {});
    const error = await rejectionOf(accounts.close('acc-4'));
    expect(error).toBeInstanceOf(RpcInvalidStateError);
    expect((error as Error).message).toContain('after it returned');
    expect(endpoint.runs).toEqual([]);
  });
});

describe('interceptors of tells and options', () => {
  test('a tell a calling interceptor refuses is logged and dropped', async () => {
    const logger = new RecordingLogger();
    const noAudits: CallInterceptor = (call, next) =>
      call.kind === 'tell' ? Promise.reject(new Error('audits are off')) : next();
    const service = new NactRpcService({ name: 'bank', logger, interceptors: { calls: [noAudits] } });
    const endpoint = new AccountsEndpoint(service, 'accounts');
    await endpoint.start();
    try {
      const accounts = await service.connect(endpoint.getAddress(), Accounts);
      accounts.audit('opened acc-5');
      expect(await accounts.balance('acc-5')).toBe(42);
      expect(endpoint.audits).toEqual([]);
      expect(logger.find('warn', 'Dropped tell Accounts.audit')).toHaveLength(1);
      expect(logger.find('warn', 'audits are off')).toHaveLength(1);
    } finally {
      await service.closeAsync();
    }
  });

  test('interceptors that are not functions are refused by name', () => {
    const error = thrownBy(
      () => new NactRpcService({ interceptors: { calls: ['log' as unknown as CallInterceptor] } }),
    );
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect((error as Error).message).toContain('interceptors.calls');
  });
});
