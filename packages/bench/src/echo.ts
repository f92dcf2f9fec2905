/** The nact-rpc protocol and endpoint every nact-rpc scenario calls, locally and remotely. */
import { ask, consoleLogger, defineProtocol, RpcEndpoint, serves, tell, type Logger } from '@nact-rpc/core';
import { Counter } from './counter';
import type { Payload } from './payload';

/** Echo: an ask that returns its payload, a counted tell, and an ask for the count. */
export const EchoProtocol = defineProtocol('BenchEcho', {
  echo: ask<[payload: Payload], Payload>(),
  hit: tell<[payload: Payload]>(),
  count: ask<[], number>(),
});

/** Serves {@link EchoProtocol}; counts the tells it receives. */
@serves(EchoProtocol)
export class EchoEndpoint extends RpcEndpoint {
  /** The tells received, for local scenarios to await. */
  readonly hits = new Counter();

  /** Returns `payload`. */
  echo(payload: Payload): Payload {
    return payload;
  }

  /** Counts one tell. */
  hit(_payload: Payload): void {
    this.hits.hit();
  }

  /** The tells counted so far. */
  count(): number {
    return this.hits.count;
  }
}

/** The logger of every benchmark service: errors only, on stderr. */
export function errorsOnlyLogger(): Logger {
  return consoleLogger('error');
}
