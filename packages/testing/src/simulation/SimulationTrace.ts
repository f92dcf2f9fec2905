import type { Clock } from '@nact-rpc/core';

/**
 * What happened in a simulation, event by event: every network event (connections made,
 * accepted and refused, bytes delivered with the kinds of the frames they carry, ends, resets,
 * stalls, partitions, crashes) and the scenario's own notes, each with its virtual time in
 * milliseconds since the simulation began. Plain strings, so two runs compare with `toEqual`:
 * the same seed gives the same trace.
 *
 * It records sizes and kinds, never payloads: payloads may carry random values (endpoint ids
 * made by default, the nonces of authentication) whose values do not change how a run goes.
 */
export class SimulationTrace {
  private readonly lines: string[] = [];
  private readonly startMs: number;

  constructor(private readonly clock: Clock) {
    this.startMs = clock.now();
  }

  /** Records `event` at the clock's time. */
  record(event: string): void {
    this.lines.push(`${this.clock.now() - this.startMs} ${event}`);
  }

  /** Every event so far, oldest first, each as `<ms since the start> <event>`. */
  get events(): readonly string[] {
    return this.lines;
  }
}
