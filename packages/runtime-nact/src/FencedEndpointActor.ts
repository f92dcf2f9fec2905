import { FencingTokenError } from '@nact-rpc/core';
import type { FencedMessage } from '@nact-rpc/core/internal';
import { EndpointActor, type DeliverableMessage } from './EndpointActor';
import { refuse } from './refuse';

/**
 * The actor of a `FencedRpcEndpoint` (Flink's `FencedPekkoRpcActor`): an {@link EndpointActor}
 * that runs a message only if the fencing token it carries equals the endpoint's current
 * token. A caller's message is refused while the endpoint holds no token; work the endpoint
 * scheduled for itself runs if the token has not changed since, and work scheduled as
 * unfenced runs whatever the token is. A message without a token is refused: every message
 * to a fenced endpoint goes through a fenced gateway. A refused ask fails with
 * `FencingTokenError`; a refused tell is logged.
 */
export class FencedEndpointActor extends EndpointActor {
  /** Runs a message only under the endpoint's current fencing token, as the class comment says. */
  protected override handleRpcMessage(message: DeliverableMessage): void {
    switch (message.kind) {
      case 'fenced':
        if (this.admits(message)) this.run(message.payload);
        return;
      case 'unfenced':
        this.run(message.payload);
        return;
      default:
        refuse(
          this,
          message,
          'the call carries no fencing token, but the endpoint is fenced.',
          FencingTokenError,
          'info',
        );
    }
  }

  /** Whether `message` may run under the current token; if not, its sender has been told. */
  private admits(message: FencedMessage): boolean {
    const current = this.hooks.fencingToken();
    if (message.self === true) {
      if (current === message.token) return true;
      refuse(
        this,
        message,
        `the work was scheduled under fencing token ${String(message.token)}, but the endpoint now holds ${String(current)}.`,
        FencingTokenError,
        'debug',
      );
      return false;
    }
    if (current === undefined) {
      refuse(this, message, 'the endpoint holds no fencing token (it is not the leader).', FencingTokenError, 'info');
      return false;
    }
    if (current !== message.token) {
      refuse(
        this,
        message,
        `the call's fencing token ${String(message.token)} does not match the endpoint's token ${String(current)}.`,
        FencingTokenError,
        'info',
      );
      return false;
    }
    return true;
  }
}
