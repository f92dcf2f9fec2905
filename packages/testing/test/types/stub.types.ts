/**
 * Type-level tests of stub gateways: compiled by `npm run typecheck`, never run. Each line
 * compiles only if the type fact it states is true.
 */
import { ask, defineProtocol, tell, type FencedGatewayOf, type GatewayOf } from '@nact-rpc/core';
import { FencedStubGateway, StubGateway, type TestingRpcService } from '@nact-rpc/testing';
import { assertType, exactly } from '../../../../test/support/typeAssertions';

const Jobs = defineProtocol('Jobs', {
  submit: ask<[name: string, priority: number], string>(),
  notify: tell<[message: string]>(),
});

export function stubTypes(service: TestingRpcService): void {
  const stub = new StubGateway(Jobs, { submit: (name, priority) => `${name}@${priority}` });
  // A stub's gateway goes wherever a real gateway of the protocol goes.
  assertType<GatewayOf<typeof Jobs>>(stub.gateway);
  exactly<Promise<string>>()(stub.gateway.submit('a', 1));
  exactly<void>()(stub.gateway.notify('hello'));
  // @ts-expect-error -- arguments are checked against the protocol
  void stub.gateway.submit('a');

  // Implementations have the endpoint's signatures: a value or a promise of the result.
  new StubGateway(Jobs, { submit: () => Promise.resolve('ok') });
  // @ts-expect-error -- the result type is the protocol's
  new StubGateway(Jobs, { submit: () => 42 });
  // @ts-expect-error -- a method the protocol does not have
  new StubGateway(Jobs, { cancel: () => true });
  stub.implement('notify', (message) => void message.toUpperCase());
  // @ts-expect-error -- implement() is checked the same way
  stub.implement('submit', () => 42);

  // Recorded calls are typed by method.
  exactly<readonly [name: string, priority: number][]>()(stub.callsOf('submit'));
  // @ts-expect-error -- not a method of the protocol
  stub.callsOf('cancel');
  for (const call of stub.calls) {
    if (call.method === 'notify') exactly<[message: string]>()(call.args);
  }

  // Fenced stubs give fenced gateways, with the token type given.
  const fenced = new FencedStubGateway<typeof Jobs, string>(Jobs, 'session-1');
  assertType<FencedGatewayOf<typeof Jobs, string>>(fenced.gateway);
  assertType<FencedGatewayOf<typeof Jobs, string>>(fenced.gatewayWithToken('session-2'));
  // @ts-expect-error -- a token of another type
  fenced.gatewayWithToken(2);
  exactly<string | undefined>()(fenced.calls[0]?.fencingToken);

  // registerGateway returns the stub as it was given.
  exactly<FencedStubGateway<typeof Jobs, string>>()(service.registerGateway(fenced));
  exactly<StubGateway<typeof Jobs>>()(service.registerGateway(stub));
}
