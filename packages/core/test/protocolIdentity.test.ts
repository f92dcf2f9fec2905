import { ask, defineProtocol, tell } from '@nact-rpc/core';
import {
  describeProtocolMismatch,
  methodSignature,
  protocolIdentity,
  type ProtocolIdentity,
} from '@nact-rpc/core/internal';

const Jobs = defineProtocol('Jobs', {
  status: ask<[jobId: string], string>(),
  cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
  log: tell<[line: string]>({ local: true }),
});

/** What the identity looks like after crossing the wire as JSON. */
function overTheWire(identity: ProtocolIdentity): ProtocolIdentity {
  return JSON.parse(JSON.stringify(identity)) as ProtocolIdentity;
}

describe('methodSignature', () => {
  test('describes the kind and options of a method in one canonical line', () => {
    expect(methodSignature({ kind: 'ask' })).toBe('ask()');
    expect(methodSignature({ kind: 'tell', local: true })).toBe('tell(local)');
    expect(methodSignature({ kind: 'ask', timeoutArg: 2, local: true })).toBe('ask(timeout@2,local)');
    expect(methodSignature({ kind: 'ask', timeoutArg: 0, local: false })).toBe('ask(timeout@0)');
  });
});

describe('protocolIdentity', () => {
  test('holds the name, the fingerprint and every method as plain data', () => {
    const identity = protocolIdentity(Jobs);
    expect(identity.name).toBe('Jobs');
    expect(identity.fingerprint).toBe(Jobs.fingerprint);
    expect(identity.methods).toEqual({
      status: { kind: 'ask', timeoutArg: undefined, local: false },
      cancel: { kind: 'ask', timeoutArg: 1, local: false },
      log: { kind: 'tell', timeoutArg: undefined, local: true },
    });
  });

  test('includes inherited methods', () => {
    const Child = defineProtocol('Child', { extra: tell() }, { extends: [Jobs] });
    expect(Object.keys(protocolIdentity(Child).methods).sort()).toEqual(['cancel', 'extra', 'log', 'status']);
  });

  test('survives a JSON round trip unchanged in meaning', () => {
    const identity = protocolIdentity(Jobs);
    const received = overTheWire(identity);
    expect(received.name).toBe('Jobs');
    expect(received.fingerprint).toBe(identity.fingerprint);
    expect(received.methods['cancel']).toEqual({ kind: 'ask', timeoutArg: 1, local: false });
    expect(describeProtocolMismatch(received, identity)).toBeUndefined();
  });
});

describe('describeProtocolMismatch', () => {
  test('finds identical protocols compatible', () => {
    expect(describeProtocolMismatch(protocolIdentity(Jobs), protocolIdentity(Jobs))).toBeUndefined();
  });

  test('finds two separately declared but equal protocols compatible', () => {
    const again = defineProtocol('Jobs', {
      log: tell<[line: string]>({ local: true }),
      cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
      status: ask<[jobId: string], string>(),
    });
    expect(describeProtocolMismatch(protocolIdentity(again), protocolIdentity(Jobs))).toBeUndefined();
  });

  test('finds a caller that knows a subset of the endpoint methods compatible', () => {
    const older = defineProtocol('Jobs', { status: ask<[jobId: string], string>() });
    expect(describeProtocolMismatch(protocolIdentity(older), protocolIdentity(Jobs))).toBeUndefined();
  });

  test('finds a caller whose method differs only in its timeout position compatible, as documented', () => {
    const caller = defineProtocol('Jobs', { wait: ask<[number, number], void>({ timeoutArg: 0 }) });
    const endpoint = defineProtocol('Jobs', { wait: ask<[number, number], void>({ timeoutArg: 1 }) });
    expect(describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint))).toBeUndefined();
  });

  test('names a method the endpoint lacks, and the methods only the endpoint has', () => {
    const caller = defineProtocol('Jobs', { status: ask<[string], string>(), restart: ask<[string], void>() });
    const endpoint = defineProtocol('Jobs', { status: ask<[string], string>(), pause: tell(), purge: tell() });
    const message = describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint));
    expect(message).toBe(
      'protocol Jobs differs between caller and endpoint ' +
        '(missing at the endpoint: restart; only at the endpoint: pause, purge)',
    );
  });

  test('names a method whose kind differs with both signatures', () => {
    const caller = defineProtocol('Jobs', { status: ask<[string], string>({ local: true }) });
    const endpoint = defineProtocol('Jobs', { status: tell<[string]>() });
    const message = describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint));
    expect(message).toBe(
      'protocol Jobs differs between caller and endpoint (changed: status (caller: ask(local), endpoint: tell()))',
    );
  });

  test('lists missing, changed and only-at-the-endpoint methods together', () => {
    const caller = defineProtocol('Jobs', { a: ask<[], void>(), b: tell(), c: ask<[], void>(), d: tell() });
    const endpoint = defineProtocol('Jobs', { a: tell(), c: ask<[], void>(), d: ask<[], void>(), e: tell() });
    const message = describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint));
    expect(message).toBeDefined();
    expect(message).toContain('protocol Jobs');
    expect(message).toContain('missing at the endpoint: b');
    expect(message).toContain('changed: a (caller: ask(), endpoint: tell()); d (caller: tell(), endpoint: ask())');
    expect(message).toContain('only at the endpoint: e');
    expect(message).not.toMatch(/\bc\b/);
  });

  test('reports differences found after the identity crossed the wire as JSON', () => {
    const caller = defineProtocol('Jobs', { status: ask<[string], string>(), gone: tell() });
    const message = describeProtocolMismatch(overTheWire(protocolIdentity(caller)), protocolIdentity(Jobs));
    expect(message).toContain('missing at the endpoint: gone');
    expect(message).toContain('only at the endpoint: cancel, log');
  });
});
