import { HandshakeError } from '../errors/HandshakeError';
import { RpcInvalidOptionError } from '../errors/RpcInvalidOptionError';
import type { AnyProtocol } from '../protocol/Protocol';
import { describeProtocolMismatch, protocolIdentity } from '../protocol/ProtocolIdentity';
import type { ServesAll } from '../protocol/types';
import type { RpcEndpoint } from './RpcEndpoint';

/**
 * Where a class keeps the protocols declared on it: a registered symbol, so that a class
 * declared with one copy of this package (say its ES module build) is understood by another
 * (its CommonJS build) in the same process.
 */
const DECLARED_PROTOCOLS = Symbol.for('nact-rpc.declaredProtocols');

/** The protocols declared on `endpointClass` itself, not on its ancestors. */
function declaredOn(endpointClass: unknown): readonly AnyProtocol[] | undefined {
  if (typeof endpointClass !== 'function' || !Object.hasOwn(endpointClass, DECLARED_PROTOCOLS)) return undefined;
  return (endpointClass as unknown as Record<symbol, readonly AnyProtocol[]>)[DECLARED_PROTOCOLS];
}

/** An endpoint class that has every method of `TProtocols`, with matching types. */
export type EndpointClassServing<TProtocols extends readonly AnyProtocol[]> = abstract new (
  ...args: never[]
) => RpcEndpoint & ServesAll<TProtocols>;

/**
 * Declares the protocols an endpoint class serves (Java's `implements HelloGateway`). The
 * compiler checks that the class has every method of every protocol with matching types, so
 * a missing or mistyped method does not compile. Subclasses serve their parents' protocols too.
 *
 * It works with TypeScript 5's standard decorators (no compiler flag) and with
 * `experimentalDecorators: true` (as NestJS and TypeORM projects use). Without decorators,
 * as in plain JavaScript, use {@link declareServes}.
 *
 * @example
 * ```ts
 * @serves(HelloProtocol)
 * class HelloEndpoint extends RpcEndpoint {
 *   hello(): string { return 'hello'; }
 * }
 * ```
 */
export function serves<const TProtocols extends readonly AnyProtocol[]>(...protocols: TProtocols) {
  // `context` is absent under experimentalDecorators, which call a class decorator with the class alone.
  return <TClass extends EndpointClassServing<TProtocols>>(
    target: TClass,
    context?: ClassDecoratorContext<TClass>,
  ): void => {
    if (context !== undefined && context.kind !== 'class') {
      throw new RpcInvalidOptionError(`@serves decorates endpoint classes, not a ${String(context.kind)}`, {
        option: 'target',
      });
    }
    declareServes(target, ...protocols);
  };
}

/**
 * Declares, without a decorator, the protocols an endpoint class serves: the form for plain
 * JavaScript and for code that does not use decorators. Same effect and same compile-time
 * checks as {@link serves}. Call it once, right after the class, before any endpoint of the
 * class is made.
 *
 * @returns the class, so that a declaration can be one expression.
 * @example
 * ```js
 * class HelloEndpoint extends RpcEndpoint {
 *   hello() { return 'hello'; }
 * }
 * declareServes(HelloEndpoint, HelloProtocol);
 * ```
 */
export function declareServes<
  const TProtocols extends readonly AnyProtocol[],
  TClass extends EndpointClassServing<TProtocols>,
>(endpointClass: TClass, ...protocols: TProtocols): TClass {
  if (typeof endpointClass !== 'function') {
    throw RpcInvalidOptionError.forValue('endpointClass', endpointClass, 'an endpoint class', 'declareServes');
  }
  protocols.forEach((protocol, index) => {
    if (typeof protocol !== 'object' || protocol === null || typeof protocol.fingerprint !== 'string') {
      throw RpcInvalidOptionError.forValue(
        `protocols[${index}]`,
        protocol,
        'a protocol made by defineProtocol',
        `declareServes(${endpointClass.name})`,
      );
    }
  });
  Object.defineProperty(endpointClass, DECLARED_PROTOCOLS, {
    value: Object.freeze([...protocols]),
    configurable: true,
  });
  servedByClass.delete(endpointClass);
  return endpointClass;
}

/**
 * Every protocol an endpoint class serves: those declared with {@link serves} on it and on
 * its ancestors, and the protocols those extend, each once.
 *
 * @throws HandshakeError if two different protocols of the same name are served.
 */
export function servedProtocols(endpointClass: abstract new (...args: never[]) => unknown): readonly AnyProtocol[] {
  let served = servedByClass.get(endpointClass);
  if (served === undefined) {
    served = collectServedProtocols(endpointClass);
    servedByClass.set(endpointClass, served);
  }
  return served;
}

/** What {@link servedProtocols} found for each class: classes are declared once, endpoints made often. */
const servedByClass = new WeakMap<object, readonly AnyProtocol[]>();

function collectServedProtocols(endpointClass: abstract new (...args: never[]) => unknown): readonly AnyProtocol[] {
  const byName = new Map<string, AnyProtocol>();
  const visit = (protocol: AnyProtocol): void => {
    const known = byName.get(protocol.name);
    if (known !== undefined) {
      if (known.fingerprint !== protocol.fingerprint) {
        throw new HandshakeError(
          `${endpointClass.name} serves two different protocols named ${protocol.name}; protocol names must be unique`,
        );
      }
      return;
    }
    byName.set(protocol.name, protocol);
    protocol.extends.forEach(visit);
  };
  for (let current: unknown = endpointClass; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    declaredOn(current)?.forEach(visit);
  }
  return Object.freeze([...byName.values()]);
}

/**
 * Throws a {@link HandshakeError} unless `protocols` serves `protocol`: by the same rule as a
 * connect handshake (see `describeProtocolMismatch`).
 */
export function assertServes(endpointName: string, protocols: readonly AnyProtocol[], protocol: AnyProtocol): void {
  const served = protocols.find((candidate) => candidate.name === protocol.name);
  const mismatch =
    served === undefined ? undefined : describeProtocolMismatch(protocolIdentity(protocol), protocolIdentity(served));
  if (served === undefined || mismatch !== undefined) {
    throw new HandshakeError(
      `${endpointName} does not implement protocol ${protocol.name}` +
        (mismatch === undefined ? '' : ` in this version (${mismatch})`) +
        `; it serves ${protocols.map((p) => p.name).join(', ') || 'no protocol'}.`,
    );
  }
}
