/**
 * The floor of the fairness scenarios: the same burst of asks, made of plain promises with no
 * framework at all. What the event loop and a remote client of the process see during it is
 * what the runtime itself costs them (its collector above all), with nothing of nact-rpc's.
 */
import type { Payload } from '../payload';

/**
 * The most asks one turn of the event loop answers: what nact-rpc delivers of one mailbox at a
 * time. The loop turns (reads sockets, fires timers) between two batches.
 */
export const PROMISE_ECHO_BATCH = 1_024;

/** Something with an `echo` ask: a nact-rpc gateway of the Echo protocol, or a {@link PromiseEcho}. */
export interface EchoTarget {
  echo(payload: Payload): Promise<Payload>;
}

/**
 * The least an asynchronous echo within a process can be: `echo` queues its payload and its
 * promise's resolver, and a macrotask (`setImmediate`) answers the queue's first
 * {@link PROMISE_ECHO_BATCH} asks, then queues itself again while asks wait. No ids, no
 * timeouts, no mailbox: one promise and one queue entry per ask (two arrays, so that an entry
 * is no object of its own).
 */
export class PromiseEcho implements EchoTarget {
  private payloads: Payload[] = [];
  private resolvers: ((payload: Payload) => void)[] = [];
  private head = 0;
  private scheduled = false;

  /** Resolves with `payload` in a later turn of the event loop. */
  echo(payload: Payload): Promise<Payload> {
    return new Promise<Payload>((resolve) => {
      this.payloads.push(payload);
      this.resolvers.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.answer);
  }

  private readonly answer = (): void => {
    this.scheduled = false;
    const end = Math.min(this.head + PROMISE_ECHO_BATCH, this.payloads.length);
    for (let i = this.head; i < end; i++)
      (this.resolvers[i] as (payload: Payload) => void)(this.payloads[i] as Payload);
    this.head = end;
    if (end === this.payloads.length) {
      this.payloads = [];
      this.resolvers = [];
      this.head = 0;
      return;
    }
    // Asks keep coming while older ones are answered: drop the answered ones now and then.
    if (this.head * 2 > this.payloads.length) {
      this.payloads = this.payloads.slice(this.head);
      this.resolvers = this.resolvers.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  };
}
