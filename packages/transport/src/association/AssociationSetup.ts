import type { ResolvedSecurity } from '../security/SecurityOptions';
import type { TellLossReason } from '../TellLosses';
import type { HelloBody } from '../wire/WireMessage';
import type { Association } from './Association';

/** Who opened the connection. */
export type AssociationRole = 'outbound' | 'inbound';

/** The lifecycle of an association. */
export type AssociationState = 'opening' | 'open' | 'closed';

/** What an association reports to the transport that owns it. */
export interface AssociationEvents {
  /** The hello exchange succeeded; requests may flow. */
  opened(association: Association): void;
  /**
   * The connection ended, cleanly (`clean`) or not; called once. `undeliveredTells`: after an
   * unclean end, the tells written to it that it could not deliver (see `FrameWriter.close`).
   */
  closed(association: Association, reason: string, clean: boolean, undeliveredTells: number): void;
  /** The association takes no new requests (it is retiring); it closes once both sides are done. */
  retiring?(association: Association): void;
  /** A tell was dropped before it was written (`line` says which and why); default: logged. */
  tellDropped?(reason: TellLossReason, line: string): void;
}

/** How an association opens: what this side says, what it requires of the peer, whom it reports to. */
export interface AssociationSetup {
  /** This side's hello (a nonce is added per association when a shared secret is configured). */
  readonly localHello: HelloBody;
  readonly events: AssociationEvents;
  /** Checks a peer's hello: a reason to refuse it, or `undefined`. Default: no further check. */
  readonly validatePeer?: ((peer: HelloBody) => string | undefined) | undefined;
  /** TLS and shared-secret authentication; default none. */
  readonly security?: ResolvedSecurity | undefined;
  /** When the connection was made (the clock's time), if before now: the opening deadline counts from it. */
  readonly connectedAt?: number | undefined;
  /** Where a refused peer is logged (one line, naming it and the reason). Default: the host's logger, as a warning. */
  readonly logRefusal?: ((line: string) => void) | undefined;
  /**
   * Where a protocol error of the open association is logged (one line, naming the peer and
   * what was wrong). Default: the host's logger, as an error.
   */
  readonly logProtocolError?: ((line: string) => void) | undefined;
}
