/**
 * Type-level tests of protocols, gateways and endpoints. This file is not run: it is compiled by
 * `npx tsc -p tsconfig.json --noEmit`. Each `@ts-expect-error` line must be an error (tsc reports
 * unused ones), and everything else must compile.
 */
import {
  ask,
  defineProtocol,
  FencedRpcEndpoint,
  RpcEndpoint,
  serves,
  declareServes,
  tell,
  type FencedGatewayOf,
  type FencingToken,
  type GatewayOf,
  type RpcService,
  type Serves,
} from '@nact-rpc/core';
import { createGatewayProxy, type GatewayInvoker } from '@nact-rpc/core/internal';
import { assertType, exactly, type Equals, type Expect } from '../../../../test/support/typeAssertions';

// ---------------------------------------------------------------------------------------------
// Protocols

const Base = defineProtocol('Base', { ping: ask<[], string>() });
const Middle = defineProtocol('Middle', { report: tell<[line: string]>() }, { extends: [Base] });
const Jobs = defineProtocol(
  'Jobs',
  {
    notify: tell<[message: string]>(),
    status: ask<[jobId: string], 'running' | 'done'>(),
    cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
    size: ask<[], Promise<number>>(),
  },
  { extends: [Middle] },
);
type JobsGateway = GatewayOf<typeof Jobs>;

export type ProtocolChecks = [
  Expect<Equals<typeof Jobs.name, 'Jobs'>>,
  Expect<Equals<keyof typeof Jobs.methods, 'notify' | 'status' | 'cancel' | 'size' | 'report' | 'ping'>>,
  Expect<Equals<JobsGateway['status'], (jobId: string) => Promise<'running' | 'done'>>>,
  Expect<Equals<JobsGateway['notify'], (message: string) => void>>,
  // A result declared as a promise is not wrapped twice.
  Expect<Equals<ReturnType<JobsGateway['size']>, Promise<number>>>,
  // Methods of the parent and of the grand-parent are part of the gateway.
  Expect<Equals<JobsGateway['report'], (line: string) => void>>,
  Expect<Equals<JobsGateway['ping'], () => Promise<string>>>,
  Expect<Equals<GatewayOf<typeof Middle>['ping'], () => Promise<string>>>,
  Expect<Equals<ReturnType<JobsGateway['getAddress']>, string>>,
  Expect<Equals<ReturnType<JobsGateway['getHostname']>, string>>,
];

// ---------------------------------------------------------------------------------------------
// Gateway calls

export async function gatewayCalls(gw: JobsGateway): Promise<void> {
  // Positive cases.
  const status: 'running' | 'done' = await gw.status('job-1');
  assertType<'running' | 'done'>(status);
  exactly<Promise<'running' | 'done'>>()(gw.status('job-1'));
  exactly<Promise<boolean>>()(gw.cancel('job-1'));
  exactly<Promise<boolean>>()(gw.cancel('job-1', 100));
  exactly<Promise<boolean>>()(gw.cancel('job-1', undefined));
  exactly<Promise<number>>()(gw.size());
  exactly<Promise<string>>()(gw.ping());
  exactly<void>()(gw.notify('hello'));
  exactly<void>()(gw.report('line'));
  exactly<string>()(gw.getAddress());
  const pending: Promise<boolean> = gw.cancel('job-2', 5);
  assertType<Promise<boolean>>(pending);

  // Wrong argument types.
  // @ts-expect-error -- jobId is a string
  void gw.status(42);
  // @ts-expect-error -- the timeout is a number
  void gw.cancel('job-1', '100');
  // @ts-expect-error -- message is a string
  gw.notify({ text: 'hello' });

  // Wrong numbers of arguments.
  // @ts-expect-error -- status needs a job id
  void gw.status();
  // @ts-expect-error -- status takes one argument
  void gw.status('job-1', 'extra');
  // @ts-expect-error -- ping takes none
  void gw.ping('extra');
  // @ts-expect-error -- notify needs its message
  gw.notify();

  // Unknown methods.
  // @ts-expect-error -- not a method of Jobs
  void gw.restart('job-1');
  // @ts-expect-error -- a gateway is not a thenable
  void gw.then;
  // @ts-expect-error -- an unfenced gateway has no fencing token
  void gw.getFencingToken();

  // A tell's result cannot be used.
  // @ts-expect-error -- a tell returns void, not a promise
  void gw.notify('hello').then;
  // @ts-expect-error -- void is not a string
  const told: string = gw.notify('hello');
  // @ts-expect-error -- a tell's result is not awaitable into a value of another type
  const awaitedTell: string = await gw.notify('hello');

  // An ask's result is a promise of the declared result, not of anything else.
  // @ts-expect-error -- the result is a promise, not the value
  const notAwaited: 'running' | 'done' = gw.status('job-1');
  // @ts-expect-error -- the result is a promise of the status, not of a number
  const wrongPromise: Promise<number> = gw.status('job-1');
  // @ts-expect-error -- the awaited status is not a number
  const wrongValue: number = await gw.status('job-1');
  // @ts-expect-error -- a boolean is not a string
  const wrongCancel: string = await gw.cancel('job-1');

  // Gateway methods cannot be replaced.
  // @ts-expect-error -- readonly
  gw.status = async () => 'done';

  void [told, awaitedTell, notAwaited, wrongPromise, wrongValue, wrongCancel];
}

// ---------------------------------------------------------------------------------------------
// Timeout argument positions

export function timeoutPositions(): void {
  // Positive cases: the position of a number, an optional number or number | undefined.
  ask<[string, number], boolean>({ timeoutArg: 1 });
  ask<[string, number?], boolean>({ timeoutArg: 1 });
  ask<[number | undefined, string], boolean>({ timeoutArg: 0 });
  ask<[jobId: string, timeoutMs: number], boolean>({ timeoutArg: 1 });
  ask<[number, number], void>({ timeoutArg: 0 });
  ask<[number, number], void>({ timeoutArg: 1 });

  // @ts-expect-error -- position 0 holds a string
  ask<[string, number], boolean>({ timeoutArg: 0 });
  // @ts-expect-error -- there is no position 2
  ask<[string, number], boolean>({ timeoutArg: 2 });
  // @ts-expect-error -- a method without arguments has no timeout position
  ask<[], boolean>({ timeoutArg: 0 });
  // @ts-expect-error -- string | number is not a number
  ask<[string | number], boolean>({ timeoutArg: 0 });
  // @ts-expect-error -- a negative position
  ask<[number], boolean>({ timeoutArg: -1 });
  // @ts-expect-error -- tells have no timeout argument
  tell<[number]>({ timeoutArg: 0 });
}

// ---------------------------------------------------------------------------------------------
// Fenced gateways

type FencedJobs = FencedGatewayOf<typeof Jobs, bigint>;

export type FencedChecks = [
  Expect<Equals<ReturnType<FencedJobs['getFencingToken']>, bigint | undefined>>,
  Expect<Equals<ReturnType<FencedGatewayOf<typeof Jobs>['getFencingToken']>, FencingToken | undefined>>,
  Expect<Equals<ReturnType<FencedGatewayOf<typeof Jobs, 'a' | 'b'>['getFencingToken']>, 'a' | 'b' | undefined>>,
  Expect<Equals<FencedJobs['status'], JobsGateway['status']>>,
  Expect<Equals<FencedJobs['ping'], () => Promise<string>>>,
];

export async function fencedGatewayCalls(gw: FencedJobs, service: RpcService, leader: string): Promise<void> {
  exactly<bigint | undefined>()(gw.getFencingToken());
  exactly<string>()(gw.getHostname());
  exactly<Promise<boolean>>()(gw.cancel('job', 10));
  // @ts-expect-error -- the token is a bigint
  const token: string | undefined = gw.getFencingToken();
  // A fenced gateway can stand where an unfenced one is expected.
  assertType<JobsGateway>(gw);

  const connected = await service.connect('nact-rpc://svc/jobs', Jobs, { fencingToken: leader });
  exactly<FencedGatewayOf<typeof Jobs, string>>()(connected);
  const plain = await service.connect('nact-rpc://svc/jobs', Jobs);
  exactly<GatewayOf<typeof Jobs>>()(plain);
  // @ts-expect-error -- an object is not a fencing token
  await service.connect('nact-rpc://svc/jobs', Jobs, { fencingToken: { id: 1 } });
  void token;
}

export function proxies(
  invoker: GatewayInvoker,
  fenced: GatewayInvoker & { readonly fencingToken: () => FencingToken | undefined },
): void {
  exactly<GatewayOf<typeof Jobs>>()(createGatewayProxy(Jobs, invoker));
  exactly<FencedGatewayOf<typeof Jobs>>()(createGatewayProxy(Jobs, fenced));
}

// ---------------------------------------------------------------------------------------------
// Endpoints

export type ServesChecks = [
  Expect<Equals<Serves<typeof Base>['ping'], () => string | PromiseLike<string>>>,
  Expect<Equals<Serves<typeof Jobs>['notify'], (message: string) => void | PromiseLike<void>>>,
  Expect<Equals<keyof Serves<typeof Jobs>, keyof typeof Jobs.methods>>,
];

// Positive: every method, answering directly or with a promise; fewer parameters are fine.
@serves(Jobs)
export class JobsEndpoint extends RpcEndpoint {
  notify(_message: string): void {}
  status(_jobId: string): 'running' | 'done' {
    return 'done';
  }
  async cancel(_jobId: string, _timeoutMs?: number): Promise<boolean> {
    return true;
  }
  async size(): Promise<number> {
    return 1;
  }
  report(): Promise<void> {
    return Promise.resolve();
  }
  ping(): string {
    return 'pong';
  }
}

// Positive: two protocols at once.
const Counter = defineProtocol('Counter', { increment: ask<[by: number], number>() });

@serves(Base, Counter)
export class PingCounter extends RpcEndpoint {
  ping(): string {
    return 'pong';
  }
  increment(by: number): number {
    return by;
  }
}

// Positive: a fenced endpoint.
@serves(Counter)
export class FencedCounter extends FencedRpcEndpoint<string> {
  increment(by: number): Promise<number> {
    return Promise.resolve(by);
  }
}

// @ts-expect-error -- misses status, a method of Jobs
@serves(Jobs)
export class MissingMethodEndpoint extends RpcEndpoint {
  notify(_message: string): void {}
  async cancel(_jobId: string, _timeoutMs?: number): Promise<boolean> {
    return true;
  }
  size(): number {
    return 1;
  }
  report(): void {}
  ping(): string {
    return 'pong';
  }
}

// @ts-expect-error -- misses ping, a method of the grand-parent protocol
@serves(Middle)
export class MissingInheritedMethodEndpoint extends RpcEndpoint {
  report(_line: string): void {}
}

// @ts-expect-error -- misses increment of the second protocol
@serves(Base, Counter)
export class MissingSecondProtocolEndpoint extends RpcEndpoint {
  ping(): string {
    return 'pong';
  }
}

// @ts-expect-error -- ping returns a number instead of a string
@serves(Base)
export class WrongReturnEndpoint extends RpcEndpoint {
  ping(): number {
    return 1;
  }
}

// @ts-expect-error -- ping resolves to a number instead of a string
@serves(Base)
export class WrongAsyncReturnEndpoint extends RpcEndpoint {
  async ping(): Promise<number> {
    return 1;
  }
}

// @ts-expect-error -- increment takes a number, not a string
@serves(Counter)
export class WrongParameterEndpoint extends RpcEndpoint {
  increment(by: string): number {
    return by.length;
  }
}

// @ts-expect-error -- increment requires a second argument the caller never sends
@serves(Counter)
export class ExtraParameterEndpoint extends RpcEndpoint {
  increment(by: number, step: number): number {
    return by * step;
  }
}

// @ts-expect-error -- an endpoint must extend RpcEndpoint
@serves(Base)
export class NotAnEndpoint {
  ping(): string {
    return 'pong';
  }
}

// ---------------------------------------------------------------------------------------------
// Self gateways

export function selfGateways(endpoint: JobsEndpoint, fenced: FencedCounter): void {
  exactly<GatewayOf<typeof Jobs>>()(endpoint.getSelfGateway(Jobs));
  exactly<GatewayOf<typeof Base>>()(endpoint.getSelfGateway(Base));
  exactly<Promise<'running' | 'done'>>()(endpoint.getSelfGateway(Jobs).status('job'));
  // @ts-expect-error -- the self gateway of Base has no status
  void endpoint.getSelfGateway(Base).status('job');

  exactly<FencedGatewayOf<typeof Counter, string>>()(fenced.getSelfGateway(Counter));
  exactly<string | undefined>()(fenced.getSelfGateway(Counter).getFencingToken());
}

// ---------------------------------------------------------------------------------------------
// Main-thread work is the endpoint's own: no gateway, local or remote, carries it

export function mainThreadWorkIsLocal(gateway: GatewayOf<typeof Jobs>, endpoint: JobsEndpoint): void {
  // @ts-expect-error -- a gateway has no runAsync: work cannot be sent to another endpoint's main thread
  gateway.runAsync(() => undefined);
  // @ts-expect-error -- nor callAsync
  void gateway.callAsync(() => 1, 1_000);
  // @ts-expect-error -- and an endpoint's runAsync is protected: only the endpoint schedules its own work
  endpoint.runAsync(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Without decorators: declareServes checks the class the same way

const DeclaredPingCounter = declareServes(
  class extends RpcEndpoint {
    ping(): string {
      return 'pong';
    }
    increment(by: number): number {
      return by;
    }
  },
  Base,
  Counter,
);

export class UndecoratedJobs extends RpcEndpoint {
  ping(): string {
    return 'pong';
  }
}
// @ts-expect-error -- UndecoratedJobs lacks every method of Jobs but ping
declareServes(UndecoratedJobs, Jobs);
export class NumberPing extends RpcEndpoint {
  ping(): number {
    return 1;
  }
}
// @ts-expect-error -- ping returns a number, not a string
declareServes(NumberPing, Base);

export class PlainPing {
  ping(): string {
    return 'pong';
  }
}
// @ts-expect-error -- an endpoint must extend RpcEndpoint
declareServes(PlainPing, Base);

// declareServes returns the class itself.
export function declaredGateway(service: RpcService): GatewayOf<typeof Counter> {
  return new DeclaredPingCounter(service).getSelfGateway(Counter);
}

// The decorator applied by hand, as experimentalDecorators does (no context argument).
serves(Base)(UndecoratedJobs);
