import type { AnyMethod } from './methods';

/** A protocol's methods, by name. */
export type MethodMap = { readonly [name: string]: AnyMethod };

/**
 * A gateway protocol: a named set of RPC methods, declared once with {@link defineProtocol}
 * and used both at run time (by proxies, handshakes and endpoints) and at compile time (the
 * gateway and endpoint types are derived from it).
 */
export interface Protocol<TName extends string = string, TMethods extends MethodMap = MethodMap> {
  /** The protocol's name, unique among the protocols an endpoint serves. */
  readonly name: TName;
  /** Every method of the protocol, including those of the protocols it extends. */
  readonly methods: TMethods;
  /** The protocols this one extends, directly. */
  readonly extends: readonly AnyProtocol[];
  /** A digest of the method names and their kinds, timeout positions and local flags. */
  readonly fingerprint: string;
}

/** Any protocol. */
export type AnyProtocol = Protocol<string, MethodMap>;

/** The methods of a protocol. */
export type MethodsOf<TProtocol extends AnyProtocol> = TProtocol['methods'];
