import type { Association } from './association/Association';

/** What a transport has carried: for metrics. */
export interface TransportTraffic {
  /** The associations open now. */
  readonly associations: number;
  /** The bytes read from every connection since the transport was made. */
  readonly bytesIn: number;
  /** The bytes written to every connection since the transport was made. */
  readonly bytesOut: number;
}

/**
 * Counts the bytes of a transport's connections: those of open associations are read from their
 * sockets when asked, and those of closed ones are kept when they close.
 */
export class TrafficCounter {
  private closedIn = 0;
  private closedOut = 0;

  /** `association` has closed: its bytes are kept. */
  closed(association: Association): void {
    const bytes = association.byteCounts();
    this.closedIn += bytes.in;
    this.closedOut += bytes.out;
  }

  /** The traffic now, given the open associations. */
  read(associations: ReadonlySet<Association>): TransportTraffic {
    let bytesIn = this.closedIn;
    let bytesOut = this.closedOut;
    let open = 0;
    for (const association of associations) {
      const bytes = association.byteCounts();
      bytesIn += bytes.in;
      bytesOut += bytes.out;
      if (association.getState() === 'open') open++;
    }
    return { associations: open, bytesIn, bytesOut };
  }
}
