import {
  ask,
  defineProtocol,
  FencedRpcEndpoint,
  RpcEndpoint,
  serves,
  tell,
  type GatewayOf,
  type RpcService,
} from '@nact-rpc/core';
import type { Ledger } from './Ledger';

/**
 * The leader's protocol: workers ask it for work, with the token they learned (also sent as an
 * argument, to be checked), and how long the work takes (some longer than the ask timeout).
 */
export const Dispatcher = defineProtocol('Dispatcher', {
  work: ask<[worker: string, call: number, token: string, takesMs: number], string>(),
});

/** Where workers report, unfenced: the tells whose order and loss are checked. */
export const Reports = defineProtocol('Reports', {
  report: tell<[worker: string, seq: number, acks: string]>(),
});

/** Where a leader host acknowledges some reports, calling the worker back (so each pair of services talks both ways). */
export const Acks = defineProtocol('Acks', {
  ack: ask<[seq: number], number>(),
});

/** The endpoint ids, the same on every run of a leader host, so that its addresses stay valid across restarts. */
export const DISPATCHER_ID = 'dispatcher';
export const REPORTS_ID = 'reports';
export const ACKS_ID = 'acks';

/** Every how many reports a sink calls the worker back. */
const ACK_EVERY = 5;

/** What a worker's `work` ask answers when it runs. */
export function workAnswer(token: string, worker: string, call: number): string {
  return `${token}/${worker}/${call}`;
}

/**
 * The fenced leader: it runs `work` only under its current token (the runtime checks the
 * token the call carries); it records every run with the token the caller meant and the one
 * it held, so that a call that ran under another token is seen.
 */
@serves(Dispatcher)
export class DispatcherEndpoint extends FencedRpcEndpoint<string> {
  constructor(
    service: RpcService,
    private readonly ledger: Ledger,
    private readonly host: string,
  ) {
    super(service, DISPATCHER_ID);
  }

  work(worker: string, call: number, token: string, takesMs: number): string | Promise<string> {
    this.ledger.ran({ host: this.host, worker, call, token, current: this.getFencingToken() });
    const answer = workAnswer(token, worker, call);
    if (takesMs === 0) return answer;
    return new Promise((resolve) =>
      this.getRpcService()
        .getClock()
        .setTimeout(() => resolve(answer), takesMs),
    );
  }

  /** This endpoint is the leader from now on, under `token` (a leader change when it held another). */
  grantLeadership(token: string): void {
    this.runAsyncWithoutFencing(() => this.setFencingToken(token));
  }

  /** This endpoint is no longer the leader. */
  revokeLeadership(): void {
    this.runAsyncWithoutFencing(() => this.setFencingToken(undefined));
  }
}

/** Receives the workers' reports, records each with its arrival, and acknowledges some by calling the worker back. */
@serves(Reports)
export class ReportSink extends RpcEndpoint {
  private readonly workers = new Map<string, Promise<GatewayOf<typeof Acks>>>();

  constructor(
    service: RpcService,
    private readonly ledger: Ledger,
    private readonly host: string,
  ) {
    super(service, REPORTS_ID);
  }

  report(worker: string, seq: number, acks: string): void {
    this.ledger.received(worker, this.host, seq);
    if (seq % ACK_EVERY === 0) this.acknowledge(worker, seq, acks);
  }

  private acknowledge(worker: string, seq: number, address: string): void {
    let gateway = this.workers.get(address);
    if (gateway === undefined) {
      gateway = this.getRpcService().connect(address, Acks);
      this.workers.set(address, gateway);
      this.ledger.track({ kind: 'connect', worker: `${this.host}>${worker}`, call: 0, token: 'unfenced' }, gateway);
      // A failed connect is forgotten: the next acknowledgement connects again.
      gateway.then(undefined, () => this.workers.delete(address));
    }
    const acked = gateway.then((acks) => acks.ack(seq));
    this.ledger.track({ kind: 'ack', worker: `${this.host}>${worker}`, call: seq, token: 'unfenced' }, acked);
  }
}

/** The worker's endpoint that takes acknowledgements. */
@serves(Acks)
export class AckEndpoint extends RpcEndpoint {
  constructor(service: RpcService) {
    super(service, ACKS_ID);
  }

  ack(seq: number): number {
    return seq;
  }
}
