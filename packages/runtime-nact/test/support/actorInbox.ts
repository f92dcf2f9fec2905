import { spawnStateless, type Ref } from 'nact';

/** A plain nact actor that keeps what it receives, for tests that await its messages. */
export interface ActorInbox<TMessage> {
  /** The actor: pass it as a `replyTo`, or give it to an endpoint. */
  readonly ref: Ref<TMessage>;
  /** The next message the actor receives (or the oldest it has not handed out yet). */
  next(): Promise<TMessage>;
}

/** Spawns an {@link ActorInbox} under `parent` (an actor, or a system). */
export function spawnInbox<TMessage = unknown>(parent: Ref<unknown>, name?: string): ActorInbox<TMessage> {
  const unread: TMessage[] = [];
  const waiting: ((message: TMessage) => void)[] = [];
  const ref = spawnStateless(
    parent,
    (message: TMessage) => {
      const waiter = waiting.shift();
      if (waiter === undefined) unread.push(message);
      else waiter(message);
    },
    name,
  );
  return {
    ref,
    next: () => (unread.length > 0 ? Promise.resolve(unread.shift() as TMessage) : new Promise((resolve) => waiting.push(resolve))),
  };
}
