import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { AnyMethod } from './methods';
import type { AnyProtocol, MethodMap, Protocol } from './Protocol';
import { methodSignature } from './ProtocolIdentity';

/** The methods a protocol inherits from the protocols it extends. */
export type InheritedMethods<TExtends extends readonly AnyProtocol[]> = TExtends extends readonly [
  infer THead extends AnyProtocol,
  ...infer TRest extends readonly AnyProtocol[],
]
  ? THead['methods'] & InheritedMethods<TRest>
  : Record<never, never>;

/** Options of {@link defineProtocol}. */
export interface DefineProtocolOptions<TExtends extends readonly AnyProtocol[]> {
  /** Protocols whose methods this protocol includes (Java's `interface A extends B`). */
  readonly extends?: TExtends;
}

/**
 * Names a gateway cannot use for a method: the gateway's own methods, `then` (a gateway must
 * not look like a promise, or `await gateway` would hang) and the names of `Object.prototype`.
 */
const RESERVED_METHOD_NAMES: ReadonlySet<string> = new Set([
  'getAddress',
  'getHostname',
  'getFencingToken',
  'then',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

const METHOD_NAME = /^[A-Za-z_$][\w$]*$/;
const PROTOCOL_NAME = /^[A-Za-z_][\w.$-]*$/;

/**
 * Declares a gateway protocol. The returned value is what gateways, endpoints and handshakes
 * use at run time; `GatewayOf<typeof P>` and `Serves<typeof P>` are derived from it at
 * compile time.
 *
 * @param name - The protocol's name; by convention the gateway's name (`'TaskExecutorGateway'`).
 * @param methods - The methods, declared with {@link tell} and {@link ask}.
 * @param options - Protocols this one extends.
 * @throws RpcInvalidOptionError naming the argument (`name`, `methods`, `methods.<name>`,
 *   `extends`) if a name is malformed or reserved, a method is not declared with `tell()` or
 *   `ask()`, or an inherited method is declared again with another kind, timeout position or
 *   local flag.
 *
 * @example
 * ```ts
 * export const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });
 * export type HelloGateway = GatewayOf<typeof HelloProtocol>;
 * ```
 */
export function defineProtocol<
  const TName extends string,
  const TMethods extends MethodMap,
  const TExtends extends readonly AnyProtocol[] = [],
>(
  name: TName,
  methods: TMethods,
  options: DefineProtocolOptions<TExtends> = {},
): Protocol<TName, TMethods & InheritedMethods<TExtends>> {
  if (typeof name !== 'string' || !PROTOCOL_NAME.test(name)) {
    throw RpcInvalidOptionError.forValue(
      'name',
      name,
      "a protocol name of letters, digits, '_', '.', '$' or '-' that starts with a letter or '_'",
      'defineProtocol',
    );
  }
  if (methods === null || typeof methods !== 'object' || Array.isArray(methods)) {
    throw RpcInvalidOptionError.forValue(
      'methods',
      methods,
      'an object of methods declared with tell() and ask()',
      `Protocol ${name}`,
    );
  }
  const parents = options.extends ?? [];
  if (!isProtocolList(parents)) {
    throw RpcInvalidOptionError.forValue(
      'extends',
      parents,
      'an array of protocols made by defineProtocol',
      `Protocol ${name}`,
    );
  }
  const all = Object.create(null) as Record<string, AnyMethod>;
  const declaredBy = Object.create(null) as Record<string, string>;

  const add = (methodName: string, method: AnyMethod, owner: string): void => {
    const existing = all[methodName];
    if (existing !== undefined && methodSignature(existing) !== methodSignature(method)) {
      throw new RpcInvalidOptionError(
        `Protocol ${name}: method ${methodName} is declared by ${declaredBy[methodName]} as ` +
          `${methodSignature(existing)} and by ${owner} as ${methodSignature(method)}; declare it the same way in both.`,
        { option: `methods.${methodName}` },
      );
    }
    all[methodName] = method;
    declaredBy[methodName] = owner;
  };

  for (const parent of parents) {
    for (const [methodName, method] of Object.entries(parent.methods)) add(methodName, method, parent.name);
  }
  for (const [methodName, method] of Object.entries(methods)) {
    if (!METHOD_NAME.test(methodName)) {
      throw new RpcInvalidOptionError(
        `Protocol ${name}: invalid method name ${JSON.stringify(methodName)}: expected a JavaScript identifier ` +
          `(letters, digits, '_' or '$', not starting with a digit).`,
        { option: `methods.${methodName}` },
      );
    }
    if (RESERVED_METHOD_NAMES.has(methodName)) {
      throw new RpcInvalidOptionError(
        `Protocol ${name}: the method name ${methodName} is reserved by the gateway; choose another name.`,
        { option: `methods.${methodName}` },
      );
    }
    if (method === null || typeof method !== 'object' || (method.kind !== 'tell' && method.kind !== 'ask')) {
      throw RpcInvalidOptionError.forValue(
        `methods.${methodName}`,
        method,
        'a method declared with tell() or ask()',
        `Protocol ${name}`,
      );
    }
    add(methodName, method, name);
  }

  return Object.freeze({
    name,
    methods: Object.freeze(all) as TMethods & InheritedMethods<TExtends>,
    extends: Object.freeze([...parents]),
    fingerprint: fingerprintOf(all),
  });
}

/** A short digest of a method set (53-bit cyrb53 over its canonical signature list). */
function fingerprintOf(methods: Readonly<Record<string, AnyMethod>>): string {
  const canonical = Object.keys(methods)
    .sort()
    .map((methodName) => `${methodName}:${methodSignature(methods[methodName] as AnyMethod)}`)
    .join(';');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < canonical.length; i++) {
    const ch = canonical.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Whether `value` is an array of protocols made by {@link defineProtocol}. */
function isProtocolList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (item: Partial<AnyProtocol> | null) =>
        typeof item === 'object' && item !== null && typeof item.name === 'string' && typeof item.methods === 'object',
    )
  );
}
