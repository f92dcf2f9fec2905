import { ask, defineProtocol, tell } from '@nact-rpc/core';
import {
  checkProtocolIdentity,
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

describe('checkProtocolIdentity', () => {
  test('accepts the identity of every protocol, also after crossing the wire', () => {
    expect(checkProtocolIdentity(protocolIdentity(Jobs))).toBeUndefined();
    expect(checkProtocolIdentity(overTheWire(protocolIdentity(Jobs)))).toBeUndefined();
  });

  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'protocol is missing'],
    ['a number', 5, 'protocol is 5'],
    ['a numeric name', { name: 1, fingerprint: 'f', methods: {} }, 'protocol.name is 1'],
    ['no fingerprint', { name: 'P', methods: {} }, 'protocol.fingerprint is missing'],
    ['a null method', { name: 'P', fingerprint: 'f', methods: { a: null } }, 'protocol.methods["a"] is null'],
    [
      'a method without kind',
      { name: 'P', fingerprint: 'f', methods: { a: {} } },
      'protocol.methods["a"].kind is missing',
    ],
    [
      'a fractional timeout position',
      { name: 'P', fingerprint: 'f', methods: { a: { kind: 'ask', timeoutArg: 0.5 } } },
      'protocol.methods["a"].timeoutArg is 0.5',
    ],
  ])('names the malformed field of %s', (_, value, expected) => {
    expect(checkProtocolIdentity(value)).toContain(expected);
  });

  test('a method named like an Object.prototype member is compared as a missing method, not as a function', () => {
    const caller = overTheWire({ ...protocolIdentity(Jobs), fingerprint: 'other' });
    const withConstructor = JSON.parse(
      JSON.stringify({ ...caller, methods: { ...caller.methods, constructor: { kind: 'ask' } } }),
    ) as ProtocolIdentity;
    expect(checkProtocolIdentity(withConstructor)).toBeUndefined();
    expect(describeProtocolMismatch(withConstructor, protocolIdentity(Jobs))).toContain(
      'missing at the endpoint: constructor',
    );
  });
});
