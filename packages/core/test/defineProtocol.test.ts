import {
  ask,
  defineProtocol,
  RpcInvalidOptionError,
  tell,
  type AnyMethod,
  type MethodMap,
  type TimeoutArgPosition,
} from '@nact-rpc/core';
import { thrownBy } from '@nact-rpc/testing';

/** A timeout position the compiler would refuse, to reach the run-time check. */
const badPosition = (position: number): TimeoutArgPosition<[number]> => position as TimeoutArgPosition<[number]>;

describe('ask and tell', () => {
  test('a tell is declared with kind tell, no timeout argument and local false by default', () => {
    expect(tell<[string]>()).toEqual({ kind: 'tell', local: false, timeoutArg: undefined });
  });

  test('an ask is declared with kind ask, no timeout argument and local false by default', () => {
    expect(ask<[string], number>()).toEqual({ kind: 'ask', local: false, timeoutArg: undefined });
  });

  test('the local flag is kept on tells and asks', () => {
    expect(tell({ local: true }).local).toBe(true);
    expect(ask({ local: true }).local).toBe(true);
    expect(ask({ local: false }).local).toBe(false);
  });

  test('the timeout argument position is kept on an ask', () => {
    expect(ask<[string, number], void>({ timeoutArg: 1 }).timeoutArg).toBe(1);
    expect(ask<[number?], void>({ timeoutArg: 0 }).timeoutArg).toBe(0);
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'ask refuses the timeout position %p with an RpcInvalidOptionError',
    (position) => {
      const error = thrownBy(() => ask<[number]>({ timeoutArg: badPosition(position) }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).option).toBe('timeoutArg');
      expect((error as RpcInvalidOptionError).message).toContain('timeoutArg');
      expect((error as RpcInvalidOptionError).message).toContain(`got ${String(position)}`);
      expect((error as RpcInvalidOptionError).message).toContain('the position of an argument');
    },
  );

  test.each([
    ['tell', () => tell({ local: 'yes' as unknown as boolean })],
    ['ask', () => ask({ local: 1 as unknown as boolean })],
  ])('%s refuses a local flag that is not a boolean, naming the option', (declaration, declare) => {
    const error = thrownBy(declare);
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'local' });
    expect((error as Error).message).toContain(`${declaration}: invalid local`);
    expect((error as Error).message).toContain('true or false');
  });
});

describe('defineProtocol', () => {
  test('exposes the name and every method with its kind at run time', () => {
    const Jobs = defineProtocol('Jobs', {
      status: ask<[jobId: string], 'running' | 'done'>(),
      cancel: ask<[jobId: string, timeoutMs?: number], boolean>({ timeoutArg: 1 }),
      log: tell<[line: string]>({ local: true }),
    });
    expect(Jobs.name).toBe('Jobs');
    expect(Object.keys(Jobs.methods).sort()).toEqual(['cancel', 'log', 'status']);
    expect(Jobs.methods.status).toEqual({ kind: 'ask', local: false, timeoutArg: undefined });
    expect(Jobs.methods.cancel).toEqual({ kind: 'ask', local: false, timeoutArg: 1 });
    expect(Jobs.methods.log).toEqual({ kind: 'tell', local: true, timeoutArg: undefined });
    expect(Jobs.extends).toEqual([]);
    expect(Jobs.fingerprint).toMatch(/^[0-9a-f]+$/);
  });

  test('the protocol, its methods and its parents list are frozen', () => {
    const Parent = defineProtocol('Parent', { a: tell() });
    const Child = defineProtocol('Child', { b: tell() }, { extends: [Parent] });
    expect(Object.isFrozen(Child)).toBe(true);
    expect(Object.isFrozen(Child.methods)).toBe(true);
    expect(Object.isFrozen(Child.extends)).toBe(true);
  });

  test('accepts protocol names with letters, digits and _ . $ -', () => {
    expect(defineProtocol('org.example.Task-Gateway_2$', {}).name).toBe('org.example.Task-Gateway_2$');
    expect(defineProtocol('_private', {}).name).toBe('_private');
  });

  describe('extends', () => {
    const Base = defineProtocol('Base', { ping: ask<[], string>() });
    const Middle = defineProtocol('Middle', { report: tell<[string]>() }, { extends: [Base] });
    const Other = defineProtocol('Other', { size: ask<[], number>({ local: true }) });

    test("includes the parents' methods next to its own", () => {
      const Child = defineProtocol('Child', { own: ask<[number], number>() }, { extends: [Middle, Other] });
      expect(Object.keys(Child.methods).sort()).toEqual(['own', 'ping', 'report', 'size']);
      expect(Child.methods.report).toBe(Middle.methods.report);
      expect(Child.methods.size).toBe(Other.methods.size);
    });

    test("includes the grand-parents' methods", () => {
      const Child = defineProtocol('Child', {}, { extends: [Middle] });
      expect(Child.methods.ping).toBe(Base.methods.ping);
      expect(Object.keys(Child.methods).sort()).toEqual(['ping', 'report']);
    });

    test('records only the direct parents in extends', () => {
      const Child = defineProtocol('Child', {}, { extends: [Middle, Other] });
      expect(Child.extends).toEqual([Middle, Other]);
    });

    test('accepts a method inherited twice with the same signature (a diamond)', () => {
      const Left = defineProtocol('Left', { left: tell() }, { extends: [Base] });
      const Right = defineProtocol('Right', { right: tell() }, { extends: [Base] });
      const Diamond = defineProtocol('Diamond', {}, { extends: [Left, Right] });
      expect(Object.keys(Diamond.methods).sort()).toEqual(['left', 'ping', 'right']);
    });

    test('accepts an inherited method declared again with the same signature', () => {
      const Child = defineProtocol('Child', { ping: ask<[], string>() }, { extends: [Base] });
      expect(Child.methods.ping.kind).toBe('ask');
      expect(Child.fingerprint).toBe(Base.fingerprint);
    });

    test('refuses an inherited method declared again with another kind, naming both owners', () => {
      const error = thrownBy(() => defineProtocol('Child', { ping: tell() }, { extends: [Base] }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      const message = (error as RpcInvalidOptionError).message;
      expect(message).toContain('ping');
      expect(message).toContain('Base');
      expect(message).toContain('Child');
      expect(message).toContain('ask()');
      expect(message).toContain('tell()');
      expect((error as RpcInvalidOptionError).option).toBe('methods.ping');
    });

    test('refuses an inherited method declared again with another timeout position', () => {
      const Timed = defineProtocol('Timed', { wait: ask<[number, number], void>({ timeoutArg: 0 }) });
      const error = thrownBy(() =>
        defineProtocol('Child', { wait: ask<[number, number], void>({ timeoutArg: 1 }) }, { extends: [Timed] }),
      );
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).message).toContain('Timed');
      expect((error as RpcInvalidOptionError).message).toContain('Child');
      expect((error as RpcInvalidOptionError).message).toContain('timeout@0');
      expect((error as RpcInvalidOptionError).message).toContain('timeout@1');
    });

    test('refuses an inherited method declared again with another local flag', () => {
      const error = thrownBy(() => defineProtocol('Child', { size: ask<[], number>() }, { extends: [Other] }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).message).toContain('Other');
      expect((error as RpcInvalidOptionError).message).toContain('Child');
    });

    test('refuses two parents declaring one method differently, naming both parents', () => {
      const A = defineProtocol('ParentA', { shared: ask<[], void>() });
      const B = defineProtocol('ParentB', { shared: tell() });
      const error = thrownBy(() => defineProtocol('Child', {}, { extends: [A, B] }));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).message).toContain('shared');
      expect((error as RpcInvalidOptionError).message).toContain('ParentA');
      expect((error as RpcInvalidOptionError).message).toContain('ParentB');
    });
  });

  describe('names', () => {
    test.each([
      'getAddress',
      'getHostname',
      'getFencingToken',
      'then',
      'toString',
      'constructor',
      'hasOwnProperty',
      'valueOf',
    ])('refuses the reserved method name %s with an RpcInvalidOptionError', (methodName) => {
      const methods: MethodMap = { [methodName]: tell() };
      const error = thrownBy(() => defineProtocol('Reserved', methods));
      expect(error).toBeInstanceOf(RpcInvalidOptionError);
      expect((error as RpcInvalidOptionError).message).toContain(methodName);
      expect((error as RpcInvalidOptionError).message).toContain('reserved');
    });

    test('refuses the reserved name __proto__ declared as an own property', () => {
      const methods = Object.defineProperty({}, '__proto__', { value: tell(), enumerable: true }) as MethodMap;
      expect(() => defineProtocol('Reserved', methods)).toThrow(RpcInvalidOptionError);
    });

    test.each(['', '1st', 'with space', 'dash-ed', 'dot.ted', 'semi;colon'])(
      'refuses the malformed method name %p with an RpcInvalidOptionError',
      (methodName) => {
        const methods: MethodMap = { [methodName]: tell() };
        const error = thrownBy(() => defineProtocol('Malformed', methods));
        expect(error).toBeInstanceOf(RpcInvalidOptionError);
        expect((error as RpcInvalidOptionError).message).toContain(JSON.stringify(methodName));
      },
    );

    test.each(['', '1Gateway', 'with space', 'slash/ed', '.dotFirst', '-dashFirst'])(
      'refuses the malformed protocol name %p with an RpcInvalidOptionError',
      (name) => {
        const error = thrownBy(() => defineProtocol(name, {}));
        expect(error).toBeInstanceOf(RpcInvalidOptionError);
        expect((error as RpcInvalidOptionError).option).toBe('name');
        expect((error as RpcInvalidOptionError).message).toContain(
          `defineProtocol: invalid name: expected a protocol name`,
        );
        expect((error as RpcInvalidOptionError).message).toContain(`got the string ${JSON.stringify(name)}`);
      },
    );

    test('names the method in the option of a malformed, reserved or undeclared method', () => {
      const option = (methods: Record<string, unknown>): unknown =>
        (thrownBy(() => defineProtocol('Named', methods as MethodMap)) as RpcInvalidOptionError).option;
      expect(option({ 'with space': tell() })).toBe('methods.with space');
      expect(option({ then: tell() })).toBe('methods.then');
      expect(option({ m: 'ask' })).toBe('methods.m');
    });

    test('refuses methods that are not an object, and extends that is not an array of protocols', () => {
      const notMethods = thrownBy(() => defineProtocol('P', null as unknown as MethodMap));
      expect(notMethods).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'methods' });
      expect((notMethods as Error).message).toContain('Protocol P: invalid methods: expected an object of methods');
      expect((notMethods as Error).message).toContain('got null');

      const notList = thrownBy(() => defineProtocol('P', {}, { extends: 'Base' as unknown as [] }));
      expect(notList).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'extends' });
      expect((notList as Error).message).toContain('got the string "Base"');
      const notProtocols = thrownBy(() => defineProtocol('P', {}, { extends: [{}] as unknown as [] }));
      expect(notProtocols).toMatchObject({ option: 'extends' });
      expect((notProtocols as Error).message).toContain('an array of protocols made by defineProtocol');
    });

    test('refuses a protocol name that is not a string', () => {
      expect(() => defineProtocol(42 as unknown as string, {})).toThrow(RpcInvalidOptionError);
    });

    test('refuses a method that was not declared with tell() or ask()', () => {
      const notMethods = [{}, null, 'ask', { kind: 'call' }];
      for (const notMethod of notMethods) {
        const methods = { m: notMethod as unknown as AnyMethod };
        const error = thrownBy(() => defineProtocol('NotDeclared', methods));
        expect(error).toBeInstanceOf(RpcInvalidOptionError);
        expect((error as RpcInvalidOptionError).message).toContain('tell() or ask()');
      }
    });
  });

  describe('fingerprint', () => {
    test('is equal for the same method set declared in another order', () => {
      const first = defineProtocol('P', { a: ask<[], void>(), b: tell(), c: ask<[number], void>({ timeoutArg: 0 }) });
      const second = defineProtocol('P', { c: ask<[number], void>({ timeoutArg: 0 }), a: ask<[], void>(), b: tell() });
      expect(second.fingerprint).toBe(first.fingerprint);
    });

    test('is equal whether a method is inherited or declared directly', () => {
      const Parent = defineProtocol('Parent', { a: ask<[], void>() });
      const inherited = defineProtocol('P', { b: tell() }, { extends: [Parent] });
      const direct = defineProtocol('P', { a: ask<[], void>(), b: tell() });
      expect(inherited.fingerprint).toBe(direct.fingerprint);
    });

    test("differs when a method's kind changes", () => {
      const asked = defineProtocol('P', { a: ask<[], void>(), b: tell() });
      const told = defineProtocol('P', { a: tell(), b: tell() });
      expect(told.fingerprint).not.toBe(asked.fingerprint);
    });

    test("differs when a method's timeout position changes or is added", () => {
      const none = defineProtocol('P', { wait: ask<[number, number], void>() });
      const first = defineProtocol('P', { wait: ask<[number, number], void>({ timeoutArg: 0 }) });
      const second = defineProtocol('P', { wait: ask<[number, number], void>({ timeoutArg: 1 }) });
      expect(new Set([none.fingerprint, first.fingerprint, second.fingerprint]).size).toBe(3);
    });

    test("differs when a method's local flag changes", () => {
      const remote = defineProtocol('P', { a: tell() });
      const local = defineProtocol('P', { a: tell({ local: true }) });
      expect(local.fingerprint).not.toBe(remote.fingerprint);
    });

    test('differs when a method is added or renamed', () => {
      const base = defineProtocol('P', { a: tell() });
      const added = defineProtocol('P', { a: tell(), b: tell() });
      const renamed = defineProtocol('P', { b: tell() });
      expect(new Set([base.fingerprint, added.fingerprint, renamed.fingerprint]).size).toBe(3);
    });
  });
});
