import { RecipientUnreachableError } from '@nact-rpc/core';
import type { TcpTransport } from '@nact-rpc/transport/internal';
import type { RuntimeContext } from './RuntimeContext';
import type { ServiceActors } from './ServiceActors';
import type { ServiceEndpoints } from './ServiceEndpoints';
import type { ServiceTasks } from './ServiceTasks';

/** The parts of a service that {@link shutDownService} stops. */
export interface ClosingService {
  readonly serviceName: string;
  readonly endpoints: ServiceEndpoints;
  readonly transport: TcpTransport;
  readonly tasks: ServiceTasks;
  readonly actors: ServiceActors;
  /** Its pending asks, failed at the end, and its throttled logs, flushed once the transport is closed. */
  readonly context: Pick<RuntimeContext, 'pendingCalls' | 'logs'>;
}

/**
 * Closes a service in order: endpoints terminate (answering what they still can, over
 * associations that are still open), then the associations close with a goodbye to each
 * peer, then every call still pending fails, work not yet run is cancelled, and the service's
 * actors stop (and the actor system, if the service started it).
 *
 * @returns What the first endpoint whose termination failed threw (its `onStop`), or
 *   `undefined` if all terminated cleanly.
 */
export async function shutDownService(service: ClosingService): Promise<unknown> {
  const results = await Promise.allSettled(service.endpoints.list().map((server) => server.closeAsync()));
  await service.transport.close();
  service.context.logs.flush();
  service.context.pendingCalls.failAll(
    (target, recipient) =>
      new RecipientUnreachableError(
        `${target} to ${recipient} could not complete: service ${service.serviceName} was closed while it was pending.`,
      ),
  );
  service.tasks.cancelAll();
  service.actors.stop();
  return results.find((result): result is PromiseRejectedResult => result.status === 'rejected')?.reason;
}
