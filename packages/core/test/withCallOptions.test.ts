import {
  ask,
  CALL_METADATA_LIMITS,
  defineProtocol,
  RpcInvalidOptionError,
  tell,
  withCallOptions,
  type AskMethod,
  type Clock,
  type TellMethod,
} from '@nact-rpc/core';
import { createGatewayProxy, type GatewayInvoker, type OutgoingCallInfo } from '@nact-rpc/core/internal';
import { thrownBy } from '@nact-rpc/testing';

const Jobs = defineProtocol('Jobs', {
  status: ask<[jobId: string], string>(),
  notify: tell<[message: string]>(),
});

/** A clock that stands at 1,000 ms. */
const clock: Clock = {
  now: () => 1_000,
  setTimeout: () => ({ ref: () => undefined, unref: () => undefined }),
  setInterval: () => ({ ref: () => undefined, unref: () => undefined }),
  clearTimeout: () => undefined,
};

/** Records what each call carries. */
class RecordingInvoker implements GatewayInvoker {
  readonly address = 'nact-rpc://svc/jobs';
  readonly hostname = 'localhost';
  readonly clock = clock;
  readonly calls: (OutgoingCallInfo | undefined)[] = [];

  tell(_methodName: string, _method: TellMethod<never>, _args: unknown[], call?: OutgoingCallInfo): void {
    this.calls.push(call);
  }

  ask(
    _methodName: string,
    _method: AskMethod<never, unknown>,
    _args: unknown[],
    _timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown> {
    this.calls.push(call);
    return Promise.resolve('running');
  }
}

describe('withCallOptions', () => {
  const invoker = new RecordingInvoker();
  const jobs = createGatewayProxy(Jobs, invoker);
  beforeEach(() => invoker.calls.splice(0));

  test('keeps the gateway: its methods, its address, and no options on the plain one', async () => {
    const controller = new AbortController();
    const withOptions = withCallOptions(jobs, { signal: controller.signal, timeoutMs: 500, metadata: { a: '1' } });
    expect(withOptions.getAddress()).toBe(jobs.getAddress());
    expect(await withOptions.status('job-1')).toBe('running');
    await jobs.status('job-1');
    expect(invoker.calls).toEqual([{ signal: controller.signal, deadline: 1_500, metadata: { a: '1' } }, undefined]);
  });

  test('the earlier of deadline and timeoutMs counts; options add up, metadata merged', async () => {
    const first = withCallOptions(jobs, { deadline: 1_200, metadata: { a: '1' } });
    await withCallOptions(first, { timeoutMs: 500, metadata: { b: '2' } }).status('job-2');
    await withCallOptions(first, { timeoutMs: 100 }).status('job-3');
    withCallOptions(first, { metadata: { a: 'again' } }).notify('hi');
    expect(invoker.calls).toEqual([
      { signal: undefined, deadline: 1_200, metadata: { a: '1', b: '2' } },
      { signal: undefined, deadline: 1_100, metadata: { a: '1' } },
      { signal: undefined, deadline: 1_200, metadata: { a: 'again' } },
    ]);
  });

  test.each([
    ['signal', { signal: 'stop' }, 'signal: expected an AbortSignal'],
    ['timeoutMs', { timeoutMs: -1 }, 'timeoutMs: expected a time of 0 or more milliseconds'],
    ['deadline', { deadline: Number.NaN }, 'deadline: expected a finite time'],
    ['inheritDeadline', { inheritDeadline: 'no' }, 'inheritDeadline: expected a boolean'],
    ['a metadata key', { metadata: { Tenant: 'a' } }, 'metadata key "Tenant" is not 1 to 64 characters'],
    ['a metadata value', { metadata: { tenant: 7 } }, 'metadata "tenant" is 7, not a string'],
    ['a Map as metadata', { metadata: new Map() }, 'not a plain object'],
    [
      'too many entries',
      {
        metadata: Object.fromEntries(
          Array.from({ length: CALL_METADATA_LIMITS.maxEntries + 1 }, (_, i) => [`k${i}`, 'v']),
        ),
      },
      'metadata has 33 entries, over the limit of 32',
    ],
  ])('refuses %s by name', (_what, options, message) => {
    const error = thrownBy(() => withCallOptions(jobs, options as never));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect((error as Error).message).toContain(message);
  });

  test('refuses merged metadata over the bounds', () => {
    const big = 'x'.repeat(CALL_METADATA_LIMITS.maxValueBytes);
    const half = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`a${i}`, big]));
    const other = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`b${i}`, big]));
    const first = withCallOptions(jobs, { metadata: half });
    const error = thrownBy(() => withCallOptions(first, { metadata: other }));
    expect((error as Error).message).toContain('over the limit of 8192');
  });

  test('refuses what is not a gateway', () => {
    const error = thrownBy(() => withCallOptions({ getAddress: () => 'x', getHostname: () => 'y' }, {}));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect((error as Error).message).toContain('a gateway made by an RpcService');
  });
});
