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

  test('refuses a method whose timeout argument differs: caller and endpoint disagree on what an argument means', () => {
    const caller = defineProtocol('Jobs', { wait: ask<[number, number], void>({ timeoutArg: 0 }) });
    const endpoint = defineProtocol('Jobs', { wait: ask<[number, number], void>({ timeoutArg: 1 }) });
    expect(describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint))).toBe(
      'protocol Jobs differs between caller and endpoint ' +
        '(changed: wait (caller: ask(timeout@0), endpoint: ask(timeout@1); differs in timeout argument))',
    );
  });

  test('refuses a method whose local-only flag differs', () => {
    const caller = defineProtocol('Jobs', { log: tell<[string]>() });
    const endpoint = defineProtocol('Jobs', { log: tell<[string]>({ local: true }) });
    expect(describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint))).toContain(
      'changed: log (caller: tell(), endpoint: tell(local); differs in local-only flag)',
    );
  });

  test('compares declared shapes: equal ones connect, different ones (or one missing) are refused', () => {
    const v2 = defineProtocol('Jobs', { submit: ask<[string], number>({ shape: '(Spec) => JobId v2' }) });
    const v2again = defineProtocol('Jobs', { submit: ask<[string], number>({ shape: '(Spec) => JobId v2' }) });
    const v1 = defineProtocol('Jobs', { submit: ask<[string], number>({ shape: '(Spec) => JobId v1' }) });
    const none = defineProtocol('Jobs', { submit: ask<[string], number>() });
    expect(describeProtocolMismatch(protocolIdentity(v2), protocolIdentity(v2again))).toBeUndefined();
    expect(describeProtocolMismatch(protocolIdentity(v2), protocolIdentity(v1))).toBe(
      'protocol Jobs differs between caller and endpoint (changed: submit ' +
        '(caller: ask(shape="(Spec) => JobId v2"), endpoint: ask(shape="(Spec) => JobId v1"); differs in shape))',
    );
    expect(describeProtocolMismatch(protocolIdentity(none), protocolIdentity(v1))).toContain('differs in shape');
    expect(v2.fingerprint).not.toBe(v1.fingerprint);
    expect(none.fingerprint).toBe(defineProtocol('Jobs', { submit: ask<[string], number>() }).fingerprint);
  });

  test('lists every differing method with everything that differs in it, after crossing the wire too', () => {
    const caller = defineProtocol('Jobs', {
      a: ask<[number], void>({ timeoutArg: 0, shape: 'x' }),
      b: tell<[number]>({ local: true }),
      c: ask<[], void>(),
    });
    const endpoint = defineProtocol('Jobs', { a: tell<[number]>(), b: tell<[number]>(), c: ask<[], void>() });
    const message = describeProtocolMismatch(overTheWire(protocolIdentity(caller)), protocolIdentity(endpoint));
    expect(message).toBe(
      'protocol Jobs differs between caller and endpoint (changed: ' +
        'a (caller: ask(timeout@0,shape="x"), endpoint: tell(); differs in kind, timeout argument, shape); ' +
        'b (caller: tell(local), endpoint: tell(); differs in local-only flag))',
    );
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
      'protocol Jobs differs between caller and endpoint ' +
        '(changed: status (caller: ask(local), endpoint: tell(); differs in kind, local-only flag))',
    );
  });

  test('lists missing, changed and only-at-the-endpoint methods together', () => {
    const caller = defineProtocol('Jobs', { a: ask<[], void>(), b: tell(), c: ask<[], void>(), d: tell() });
    const endpoint = defineProtocol('Jobs', { a: tell(), c: ask<[], void>(), d: ask<[], void>(), e: tell() });
    const message = describeProtocolMismatch(protocolIdentity(caller), protocolIdentity(endpoint));
    expect(message).toBeDefined();
    expect(message).toContain('protocol Jobs');
    expect(message).toContain('missing at the endpoint: b');
    expect(message).toContain(
      'changed: a (caller: ask(), endpoint: tell(); differs in kind); d (caller: tell(), endpoint: ask(); differs in kind)',
    );
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
    [
      'an empty shape',
      { name: 'P', fingerprint: 'f', methods: { a: { kind: 'ask', shape: '' } } },
      'protocol.methods["a"].shape is ""',
    ],
    [
      'a numeric shape',
      { name: 'P', fingerprint: 'f', methods: { a: { kind: 'tell', shape: 2 } } },
      'protocol.methods["a"].shape is 2',
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

describe('shape declarations', () => {
  test('refuses a shape that is empty, too long or not a string, naming the option', () => {
    let thrown: unknown;
    try {
      ask({ shape: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'shape' });
    expect(() => tell({ shape: 'x'.repeat(513) })).toThrow(/shape/);
    expect(() => ask({ shape: 3 as unknown as string })).toThrow(/shape/);
  });

  test('keeps a declared shape on the method and in its identity, and adds no key without one', () => {
    expect(ask({ shape: 'v1' })).toMatchObject({ kind: 'ask', shape: 'v1' });
    expect(Object.keys(ask())).not.toContain('shape');
    const identity = protocolIdentity(defineProtocol('P', { a: ask({ shape: 'v1' }), b: tell() }));
    expect(identity.methods).toEqual({
      a: { kind: 'ask', timeoutArg: undefined, local: false, shape: 'v1' },
      b: { kind: 'tell', timeoutArg: undefined, local: false },
    });
    expect(Object.keys(identity.methods['b'] ?? {})).not.toContain('shape');
  });
});
