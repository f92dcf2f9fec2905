import type { ClusterProcess } from './ClusterProcess';

/** The totals of a run, over every process's call counts. */
export interface Summary {
  /** Asks made from one process to another. */
  readonly calls: number;
  /** Asks refused with `FencingTokenError`: calls that carried a stale leader session. */
  readonly refused: number;
  /** Asks that ended with any other error (the leader gone, a connection refused, a timeout, …). */
  readonly failed: number;
  /**
   * Asks that never ended: still pending when their process finished (after waiting for them
   * up to the ask timeout and a second), or pending in the last report of a process that died
   * without its final one. Not counted: those of the leader the run kills on purpose.
   */
  readonly lost: number;
  /** Processes that died without reporting their final counts (other than the one killed on purpose). */
  readonly unreported: readonly string[];
}

/**
 * Adds up the call counts of the processes. `killed` is the leader killed on purpose: its
 * calls count up to its last report (twice a second), and those it had pending die with it.
 */
export function summarize(processes: readonly ClusterProcess[], killed: ClusterProcess | undefined): Summary {
  let calls = 0;
  let refused = 0;
  let failed = 0;
  let lost = 0;
  const unreported: string[] = [];
  for (const process of processes) {
    const stats = process.latestStats();
    if (stats === undefined) {
      if (process !== killed) unreported.push(process.name);
      continue;
    }
    calls += stats.counts.made;
    refused += stats.counts.refused;
    failed += stats.counts.failed;
    if (process === killed) continue;
    lost += stats.counts.pending;
    if (!stats.final) unreported.push(process.name);
  }
  return { calls, refused, failed, lost, unreported };
}

/** The last line of a run: `summary: 812 calls, 4 stale-token calls refused, 5 other failures, 0 lost`. */
export function formatSummary(summary: Summary): string {
  const unreported = summary.unreported.length === 0 ? '' : ` (no final counts from ${summary.unreported.join(', ')})`;
  return (
    `summary: ${summary.calls} calls, ${summary.refused} stale-token calls refused, ` +
    `${summary.failed} other failures, ${summary.lost} lost${unreported}`
  );
}
