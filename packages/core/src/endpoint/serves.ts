import { HandshakeError } from '../errors/HandshakeError';
import type { AnyProtocol } from '../protocol/Protocol';
import { describeProtocolMismatch, protocolIdentity } from '../protocol/ProtocolIdentity';
import type { ServesAll } from '../protocol/types';
import type { RpcEndpoint } from './RpcEndpoint';

const declaredProtocols = new WeakMap<object, readonly AnyProtocol[]>();

/**
 * Declares the protocols an endpoint class serves (Java's `implements HelloGateway`). The
 * compiler checks that the class has every method of every protocol with matching types, so
 * a missing or mistyped method does not compile. Subclasses serve their parents' protocols too.
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
  return <TClass extends abstract new (...args: any[]) => RpcEndpoint & ServesAll<TProtocols>>(
    target: TClass,
    context: ClassDecoratorContext<TClass>,
  ): void => {
    if (context.kind !== 'class') throw new TypeError('@serves decorates endpoint classes');
    declaredProtocols.set(target, Object.freeze([...protocols]));
  };
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
    declaredProtocols.get(current)?.forEach(visit);
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
