import { randomBytes } from 'node:crypto';
import { RpcEndpoint, serves, type RpcService } from '@nact-rpc/core';
import { LeaseProtocol, type LeaderInfo, type LeaseGrant } from './protocols';

interface Lease extends LeaderInfo {
  expiresAt: number;
}

/**
 * The lease service of the example: grants one ResourceManager at a time a lease with a new
 * session id, for `ttlMs` after its last renewal. When the holder stops renewing (it died),
 * the lease expires and the next candidate to ask gets it, under a new session.
 *
 * It is an example, not a production leader election: it is one process (a single point of
 * failure), and it trusts the clocks of one machine. See packages/examples/README.md.
 */
@serves(LeaseProtocol)
export class LeaseEndpoint extends RpcEndpoint {
  private lease: Lease | undefined;
  private epoch = 0;

  /**
   * @param service - The service to register with.
   * @param ttlMs - How long a lease lasts without renewal.
   * @param report - Where the lease service tells what happens (grants and expiries).
   */
  constructor(
    service: RpcService,
    private readonly ttlMs: number,
    private readonly report: (line: string) => void,
  ) {
    super(service, 'lease');
  }

  acquire(candidateId: string, address: string): LeaseGrant | null {
    const lease = this.current();
    if (lease !== undefined) return lease.candidateId === candidateId ? this.renewed(lease) : null;
    this.epoch++;
    const session = `s${this.epoch}-${randomBytes(3).toString('hex')}`;
    this.lease = { candidateId, address, session, expiresAt: this.now() + this.ttlMs };
    this.report(`lease granted to ${candidateId}: session ${session}`);
    return { session, ttlMs: this.ttlMs };
  }

  renew(candidateId: string, session: string): boolean {
    const lease = this.current();
    if (lease === undefined || lease.candidateId !== candidateId || lease.session !== session) return false;
    this.renewed(lease);
    return true;
  }

  leader(): LeaderInfo | null {
    const lease = this.current();
    return lease === undefined
      ? null
      : { candidateId: lease.candidateId, address: lease.address, session: lease.session };
  }

  private renewed(lease: Lease): LeaseGrant {
    lease.expiresAt = this.now() + this.ttlMs;
    return { session: lease.session, ttlMs: this.ttlMs };
  }

  /** The lease, unless it expired (then it is dropped, and the expiry reported). */
  private current(): Lease | undefined {
    const lease = this.lease;
    if (lease === undefined || this.now() < lease.expiresAt) return lease;
    this.lease = undefined;
    this.report(`lease of ${lease.candidateId} (session ${lease.session}) expired: no renewal for ${this.ttlMs} ms`);
    return undefined;
  }

  private now(): number {
    return this.rpcService.getClock().now();
  }
}
