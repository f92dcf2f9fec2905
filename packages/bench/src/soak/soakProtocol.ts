/**
 * What the soak run calls: a Soak endpoint (echo, tells, asks that time out, asks that throw), a
 * fenced endpoint that stale callers hit, and a Churn endpoint that starts and retires Soak
 * endpoints on request.
 */
import { ask, defineProtocol, FencedRpcEndpoint, RpcEndpoint, serves, tell, type RpcService } from '@nact-rpc/core';

/** The payload of a soak ask: an id and a string of some size (up to 64 KB). */
export interface SoakPayload {
  readonly id: number;
  readonly data: string;
}

/** Soak: echo, a counted tell, an ask for the count, a slow ask (its timeout is an argument), an ask that throws. */
export const SoakProtocol = defineProtocol('BenchSoak', {
  echo: ask<[payload: SoakPayload], SoakPayload>(),
  hit: tell<[id: number]>(),
  count: ask<[], number>(),
  slow: ask<[delayMs: number, timeoutMs?: number], number>({ timeoutArg: 1 }),
  fail: ask<[message: string], never>(),
});

/** The fenced endpoint's protocol: one ask, refused to callers with a stale token. */
export const LeaderProtocol = defineProtocol('BenchSoakLeader', {
  work: ask<[id: number], number>(),
});

/** Churn: starts a Soak endpoint and answers its address; retires one by address. */
export const ChurnProtocol = defineProtocol('BenchSoakChurn', {
  spawn: ask<[], string>(),
  retire: ask<[address: string], void>(),
});

/** Serves {@link SoakProtocol}. */
@serves(SoakProtocol)
export class SoakEndpoint extends RpcEndpoint {
  private hits = 0;

  /** Returns `payload`. */
  echo(payload: SoakPayload): SoakPayload {
    return payload;
  }

  /** Counts one tell. */
  hit(_id: number): void {
    this.hits++;
  }

  /** The tells counted so far. */
  count(): number {
    return this.hits;
  }

  /** Answers after `delayMs` (the caller's timeout is shorter: the answer comes late). */
  async slow(delayMs: number, _timeoutMs?: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return delayMs;
  }

  /** Throws an error with `message`. */
  fail(message: string): never {
    throw new Error(message);
  }
}

/** The current leader token of the fenced endpoint; callers with any other one are refused. */
export const LEADER_TOKEN = 'epoch-2';
/** A former leader's token: every call carrying it is refused. */
export const STALE_TOKEN = 'epoch-1';

/** Serves {@link LeaderProtocol}, fenced by {@link LEADER_TOKEN}. */
@serves(LeaderProtocol)
export class LeaderEndpoint extends FencedRpcEndpoint<string> {
  constructor(service: RpcService, endpointId: string) {
    super(service, endpointId, LEADER_TOKEN);
  }

  /** Returns `id`. */
  work(id: number): number {
    return id;
  }
}

/** Serves {@link ChurnProtocol}: Soak endpoints started and retired on request. */
@serves(ChurnProtocol)
export class ChurnEndpoint extends RpcEndpoint {
  private readonly spawned = new Map<string, SoakEndpoint>();
  private started = 0;

  /** Starts a Soak endpoint; resolves with its address. */
  async spawn(): Promise<string> {
    const endpoint = new SoakEndpoint(this.getRpcService(), `churn-${++this.started}`);
    await endpoint.start();
    const address = endpoint.getAddress();
    this.spawned.set(address, endpoint);
    return address;
  }

  /** Terminates the Soak endpoint at `address`. */
  async retire(address: string): Promise<void> {
    const endpoint = this.spawned.get(address);
    this.spawned.delete(address);
    await endpoint?.closeAsync();
  }

  /** How many spawned endpoints are alive, and how many were started. */
  stats(): { alive: number; started: number } {
    return { alive: this.spawned.size, started: this.started };
  }
}
