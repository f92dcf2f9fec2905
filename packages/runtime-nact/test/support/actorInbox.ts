import { spawnStateless, type Ref } from 'nact';
import { Inbox } from '@nact-rpc/testing';

/** A plain nact actor that keeps what it receives, for tests that await its messages. */
export interface ActorInbox<TMessage> {
  /** The actor: pass it as a `replyTo`, or give it to an endpoint. */
  readonly ref: Ref<TMessage>;
  /** The next message the actor receives (or the oldest it has not handed out yet). */
  next(): Promise<TMessage>;
}

/** Spawns an {@link ActorInbox} under `parent` (an actor, or a system). */
export function spawnInbox<TMessage = unknown>(parent: Ref<unknown>, name?: string): ActorInbox<TMessage> {
  const received = new Inbox<TMessage>();
  const ref = spawnStateless(parent, (message: TMessage) => received.push(message), name);
  return { ref, next: () => received.next() };
}
