import type { AnyMethod } from './methods';
import type { AnyProtocol } from './Protocol';

/** How a method is described in a handshake. */
export interface MethodDescriptor {
  readonly kind: 'tell' | 'ask';
  readonly timeoutArg?: number | undefined;
  readonly local?: boolean | undefined;
  /** The method's declared argument/result shape fingerprint, if it declares one. */
  readonly shape?: string | undefined;
}

/** What a caller sends in a handshake to say which protocol it expects: plain data. */
export interface ProtocolIdentity {
  readonly name: string;
  readonly fingerprint: string;
  readonly methods: Readonly<Record<string, MethodDescriptor>>;
}

/**
 * The canonical one-line description of a method's kind and options, e.g. `ask(timeout@1)` or
 * `tell(local,shape="(Job) v2")`.
 */
export function methodSignature(method: MethodDescriptor): string {
  const options: string[] = [];
  if (method.timeoutArg !== undefined) options.push(`timeout@${method.timeoutArg}`);
  if (method.local === true) options.push('local');
  if (method.shape !== undefined) options.push(`shape=${JSON.stringify(method.shape)}`);
  return `${method.kind}(${options.join(',')})`;
}

/** What of two declarations of one method differs, e.g. `['kind', 'timeout argument']`. */
function differences(caller: MethodDescriptor, endpoint: MethodDescriptor): string[] {
  const found: string[] = [];
  if (caller.kind !== endpoint.kind) found.push('kind');
  if (caller.timeoutArg !== endpoint.timeoutArg) found.push('timeout argument');
  if ((caller.local === true) !== (endpoint.local === true)) found.push('local-only flag');
  if (caller.shape !== endpoint.shape) found.push('shape');
  return found;
}

/** The handshake identity of a protocol. */
export function protocolIdentity(protocol: AnyProtocol): ProtocolIdentity {
  const methods: Record<string, MethodDescriptor> = {};
  for (const [name, method] of Object.entries<AnyMethod>(protocol.methods)) {
    methods[name] =
      method.shape === undefined
        ? { kind: method.kind, timeoutArg: method.timeoutArg, local: method.local }
        : { kind: method.kind, timeoutArg: method.timeoutArg, local: method.local, shape: method.shape };
  }
  return { name: protocol.name, fingerprint: protocol.fingerprint, methods };
}

/**
 * Compares the protocol a caller expects with the one an endpoint serves under the same name,
 * method by method. Returns `undefined` when the caller can use the endpoint: every method the
 * caller knows exists there with the same declaration (kind, timeout argument, local-only
 * flag, and shape fingerprint where one is declared). Otherwise returns a sentence listing
 * every difference: methods the endpoint lacks, methods declared differently (both
 * declarations, and what differs), and methods only the endpoint has.
 */
export function describeProtocolMismatch(caller: ProtocolIdentity, endpoint: ProtocolIdentity): string | undefined {
  if (caller.fingerprint === endpoint.fingerprint) return undefined;
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [name, method] of Object.entries(caller.methods)) {
    const served = Object.hasOwn(endpoint.methods, name) ? endpoint.methods[name] : undefined;
    if (served === undefined) missing.push(name);
    else {
      const differ = differences(method, served);
      if (differ.length > 0) {
        changed.push(
          `${name} (caller: ${methodSignature(method)}, endpoint: ${methodSignature(served)}; ` +
            `differs in ${differ.join(', ')})`,
        );
      }
    }
  }
  if (missing.length === 0 && changed.length === 0) return undefined;
  const added = Object.keys(endpoint.methods).filter((name) => !Object.hasOwn(caller.methods, name));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing at the endpoint: ${missing.join(', ')}`);
  if (changed.length > 0) parts.push(`changed: ${changed.join('; ')}`);
  if (added.length > 0) parts.push(`only at the endpoint: ${added.join(', ')}`);
  return `protocol ${caller.name} differs between caller and endpoint (${parts.join('; ')})`;
}
