import type { Association } from '@nact-rpc/transport/internal';
import type { MailboxBacklog } from './Mailbox';

/** An endpoint whose mailbox {@link InboundBackpressure} watches. */
export interface BackloggedEndpoint {
  readonly endpointId: string;
  readonly backlog: MailboxBacklog;
}

/**
 * Stops reading from the connections that fill an endpoint's mailbox past `maxInboundBacklog`
 * messages, until the endpoint has worked it down to half of that: a peer that sends faster
 * than an endpoint works is then slowed down by TCP instead of filling this process's memory.
 * Nothing is dropped: the request that crossed the limit, and those read with it in the same
 * chunk, are delivered. A connection paused for several endpoints resumes once all have
 * drained; a terminated endpoint releases its connections.
 *
 * `InboundRequests` calls {@link overLimit} only when a request left a mailbox over the limit,
 * so the only cost per request is that comparison.
 */
export class InboundBackpressure {
  /** The connections paused for each endpoint, until its mailbox drains. */
  private readonly paused = new Map<BackloggedEndpoint, Set<Association>>();
  private readonly resumeAt: number;

  /** @param maxInboundBacklog - The `transport.maxInboundBacklog` option. */
  constructor(readonly maxInboundBacklog: number) {
    this.resumeAt = Math.floor(maxInboundBacklog / 2);
  }

  /** A request from `association` left `endpoint` with more than the limit waiting. */
  overLimit(endpoint: BackloggedEndpoint, association: Association): void {
    let associations = this.paused.get(endpoint);
    if (associations?.has(association) === true) return;
    const first = associations === undefined;
    associations ??= new Set();
    associations.add(association);
    this.paused.set(endpoint, associations);
    association.pauseReading(
      `endpoint ${endpoint.endpointId} has ${endpoint.backlog.size} messages waiting, ` +
        `over maxInboundBacklog (${this.maxInboundBacklog}); reading resumes at ${this.resumeAt}`,
    );
    if (first) endpoint.backlog.whenAtMost(this.resumeAt, () => this.drained(endpoint));
  }

  private drained(endpoint: BackloggedEndpoint): void {
    const associations = this.paused.get(endpoint);
    this.paused.delete(endpoint);
    for (const association of associations ?? []) association.resumeReading();
  }
}
