import { isRpcError, type Clock } from '@nact-rpc/core';
import { workAnswer } from './leaderEndpoints';

/** A `work` call that ran on a leader: the token its caller sent, and the one the leader held. */
export interface RunRecord {
  readonly host: string;
  readonly worker: string;
  readonly call: number;
  readonly token: string;
  readonly current: string | undefined;
}

/** An ask a worker made (a `work` call, or the handshake of a gateway), and how it settled. */
export interface AskRecord {
  readonly kind: 'work' | 'connect' | 'ack';
  readonly worker: string;
  /** The call's number (work), or the target (connect). */
  readonly call: number;
  readonly token: string;
  settled: number;
  outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } | undefined;
}

/** One tell sent or received, at a virtual time. */
interface TellEvent {
  readonly seq: number;
  readonly at: number;
}

/** The tells of one worker run to one report sink host. */
interface TellPair {
  readonly worker: string;
  readonly workerHost: string;
  readonly sinkHost: string;
  readonly sent: TellEvent[];
  readonly received: TellEvent[];
}

/** What the invariants need to see of the simulation when they are checked. */
export interface InvariantContext {
  /** When any end of a connection between two hosts closed. */
  closesBetween(a: string, b: string): readonly number[];
  /** Each live service's pending calls, by host. */
  readonly pending: ReadonlyMap<
    string,
    { readonly waiting: number; readonly reserved: number; readonly served: number }
  >;
  /**
   * How many tells a worker run's transport counted as dropped before they reached a
   * connection (the peer unreachable, the queue full, the service closed): those were never on
   * a connection, and their loss is the transport's documented, counted at-most-once.
   */
  droppedTells(worker: string): number;
}

/** Counts of what a run did, to show that the invariants were exercised. */
export interface LedgerCounts {
  readonly runs: number;
  /** `work` asks answered. */
  readonly answered: number;
  /** Acknowledgements (a leader host's asks to a worker) answered. */
  readonly acked: number;
  /** Asks (`work` and connects) that failed, by the error's code. */
  readonly failures: Readonly<Record<string, number>>;
  readonly tellsSent: number;
  readonly tellsReceived: number;
  /** Tells that did not arrive, each allowed: a connection between the two hosts ended, or the transport counted it dropped. */
  readonly tellsLost: number;
}

/**
 * What happened to every call and tell of the fenced-leader scenario, and the four invariants
 * checked on it (see {@link Ledger.violations}).
 */
export class Ledger {
  readonly runs: RunRecord[] = [];
  readonly asks: AskRecord[] = [];
  private readonly pairs = new Map<string, TellPair>();
  /** Tells received that no worker sent. */
  private readonly strays: string[] = [];

  constructor(private readonly clock: Clock) {}

  /** A `work` call ran. */
  ran(run: RunRecord): void {
    this.runs.push(run);
  }

  /** Tracks an ask: its record counts how often it settles, and keeps its outcome. */
  track(record: Omit<AskRecord, 'settled' | 'outcome'>, promise: Promise<unknown>): AskRecord {
    const tracked: AskRecord = { ...record, settled: 0, outcome: undefined };
    this.asks.push(tracked);
    promise.then(
      (value) => {
        tracked.settled++;
        tracked.outcome = { ok: true, value };
      },
      (error: unknown) => {
        tracked.settled++;
        tracked.outcome = { ok: false, error };
      },
    );
    return tracked;
  }

  /** A worker sent tell `seq` to the sink on `sinkHost`. */
  sent(worker: string, workerHost: string, sinkHost: string, seq: number): void {
    this.pair(worker, workerHost, sinkHost).sent.push({ seq, at: this.clock.now() });
  }

  /** The sink on `sinkHost` received tell `seq` of `worker`. */
  received(worker: string, sinkHost: string, seq: number): void {
    const pair = this.pairs.get(`${worker}>${sinkHost}`);
    if (pair === undefined) this.strays.push(`tell ${worker}>${sinkHost} #${seq} arrived but was never sent`);
    else pair.received.push({ seq, at: this.clock.now() });
  }

  /** Counts of what happened. */
  counts(): LedgerCounts {
    const failures: Record<string, number> = {};
    for (const { outcome } of this.asks) {
      if (outcome?.ok !== false) continue;
      const code = isRpcError(outcome.error) ? outcome.error.code : 'untyped';
      failures[code] = (failures[code] ?? 0) + 1;
    }
    let tellsSent = 0;
    let tellsReceived = 0;
    let tellsLost = 0;
    for (const pair of this.pairs.values()) {
      tellsSent += pair.sent.length;
      tellsReceived += pair.received.length;
      tellsLost += pair.sent.length - pair.received.length;
    }
    return {
      runs: this.runs.length,
      answered: this.asks.filter((record) => record.kind === 'work' && record.outcome?.ok === true).length,
      acked: this.asks.filter((record) => record.kind === 'ack' && record.outcome?.ok === true).length,
      failures,
      tellsSent,
      tellsReceived,
      tellsLost,
    };
  }

  /**
   * The invariants, as a list of what broke them (empty when they hold):
   *
   * 1. no call ran under another token than the one its caller sent: a stale token never runs;
   * 2. every ask settled exactly once, with a value or a typed (`RpcError`) error; an answer
   *    means its call ran exactly once, a fencing refusal that it never ran, and no call ran
   *    twice;
   * 3. the tells of one worker run to one sink arrive in order, none twice, and none is lost,
   *    unless a connection between the two hosts ended between the tell's sending and its
   *    expected arrival (a connection that stayed up delivers all, in order), or the worker's
   *    transport counted it as dropped before it reached a connection (a worker run's losses
   *    that no ended connection explains are at most the drops its transport counted);
   * 4. no live service holds a pending call, a reserved id or an ask it serves.
   */
  violations(context: InvariantContext): string[] {
    const found: string[] = [...this.strays];
    const runCounts = new Map<string, number>();
    for (const run of this.runs) {
      const key = `${run.worker}/${run.call}`;
      runCounts.set(key, (runCounts.get(key) ?? 0) + 1);
      if (run.token !== run.current) {
        found.push(`${key} ran on ${run.host} with stale token ${run.token}; the leader held ${String(run.current)}`);
      }
    }
    for (const record of this.asks) found.push(...this.askViolations(record, runCounts));
    const unexplained = new Map<string, string[]>();
    for (const pair of this.pairs.values()) {
      const tells = this.tellViolations(pair, context);
      found.push(...tells.found);
      unexplained.set(pair.worker, [...(unexplained.get(pair.worker) ?? []), ...tells.lost]);
    }
    for (const [worker, lost] of unexplained) {
      const dropped = context.droppedTells(worker);
      if (lost.length <= dropped) continue;
      found.push(
        `${worker} lost ${lost.length} tells on connections that stayed up, and its transport counted ${dropped} ` +
          `dropped: ${lost.slice(0, 3).join('; ')}`,
      );
    }
    for (const [host, { waiting, reserved, served }] of context.pending) {
      if (waiting > 0 || reserved > 0 || served > 0)
        found.push(`${host} leaks ${waiting} pending calls, ${reserved} reserved ids and ${served} asks served`);
    }
    return found;
  }

  private askViolations(record: AskRecord, runCounts: ReadonlyMap<string, number>): string[] {
    const name = `${record.kind} ${record.worker}/${record.call} (token ${record.token})`;
    if (record.settled !== 1) return [`${name} settled ${record.settled} times`];
    const outcome = record.outcome;
    if (outcome === undefined) return [`${name} has no outcome`];
    if (!outcome.ok && !isRpcError(outcome.error))
      return [`${name} failed with an untyped error: ${String(outcome.error)}`];
    if (record.kind === 'ack' && outcome.ok && outcome.value !== record.call) {
      return [`${name} answered ${String(outcome.value)}`];
    }
    if (record.kind !== 'work') return [];
    const runs = runCounts.get(`${record.worker}/${record.call}`) ?? 0;
    if (runs > 1) return [`${name} ran ${runs} times`];
    if (outcome.ok) {
      const expected = workAnswer(record.token, record.worker, record.call);
      if (outcome.value !== expected) return [`${name} answered ${String(outcome.value)}, expected ${expected}`];
      if (runs !== 1) return [`${name} was answered but ran ${runs} times`];
    } else if (isRpcError(outcome.error, 'FENCING_TOKEN') && runs > 0) {
      return [`${name} was refused for its token but ran`];
    }
    return [];
  }

  /** Tells doubled or out of order (`found`), and those lost that no ended connection explains (`lost`). */
  private tellViolations(pair: TellPair, context: InvariantContext): { found: string[]; lost: string[] } {
    const closes = context.closesBetween(pair.workerHost, pair.sinkHost);
    const endedBetween = (from: number, to: number): boolean => closes.some((at) => at >= from && at <= to);
    const sentAt = new Map(pair.sent.map((event) => [event.seq, event.at]));
    const name = `tell ${pair.worker}>${pair.sinkHost}`;
    const found: string[] = [];
    const seen = new Set<number>();
    let highest = -1;
    for (const { seq, at } of pair.received) {
      if (seen.has(seq)) found.push(`${name} #${seq} arrived twice`);
      seen.add(seq);
      if (seq < highest && !endedBetween(sentAt.get(seq) ?? 0, at)) {
        found.push(`${name} #${seq} arrived after #${highest}, on a connection that stayed up`);
      }
      highest = Math.max(highest, seq);
    }
    const lost: string[] = [];
    for (const { seq, at } of pair.sent) {
      if (seen.has(seq)) continue;
      const later = pair.received.filter((event) => event.seq > seq).map((event) => event.at);
      const until = later.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...later);
      if (!endedBetween(at, until)) lost.push(`${name} #${seq}, sent at ${at}`);
    }
    return { found, lost };
  }

  private pair(worker: string, workerHost: string, sinkHost: string): TellPair {
    const key = `${worker}>${sinkHost}`;
    let pair = this.pairs.get(key);
    if (pair === undefined) {
      pair = { worker, workerHost, sinkHost, sent: [], received: [] };
      this.pairs.set(key, pair);
    }
    return pair;
  }
}
