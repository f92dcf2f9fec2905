import { start, stop, type ActorSystemRef } from 'nact';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '@nact-rpc/testing';
import { spawnInbox, type ActorInbox } from './actorInbox';

/** A service embedded in a nact actor system of the test's own, as {@link startEmbeddedService} made it. */
export interface EmbeddedService {
  /** The user's system: the service runs its actors in it, and does not stop it when closed. */
  readonly system: ActorSystemRef;
  /** The service's logger, to assert on what it logged. */
  readonly logger: RecordingLogger;
  /** Named `embedded`, local-only. */
  readonly service: NactRpcService;
  /** A plain actor of the system, to pass as the `replyTo` of invocation messages. */
  readonly inbox: ActorInbox<unknown>;
}

/** Starts a nact actor system and embeds a new service in it; undo with {@link closeEmbeddedService}. */
export function startEmbeddedService(): EmbeddedService {
  const system = start();
  const logger = new RecordingLogger();
  const service = new NactRpcService({ system, name: 'embedded', logger });
  return { system, logger, service, inbox: spawnInbox(system, 'inbox') };
}

/** Closes the service, then stops the system it runs in (which closing the service does not). */
export async function closeEmbeddedService(embedded: Pick<EmbeddedService, 'system' | 'service'>): Promise<void> {
  await embedded.service.closeAsync();
  stop(embedded.system);
}

/**
 * Gives every test of the enclosing `describe` a fresh embedded service: started before each
 * test and handed to `use`, closed after it.
 */
export function useEmbeddedService(use: (embedded: EmbeddedService) => void): void {
  let current: EmbeddedService | undefined;
  beforeEach(() => {
    current = startEmbeddedService();
    use(current);
  });
  afterEach(async () => {
    if (current !== undefined) await closeEmbeddedService(current);
    current = undefined;
  });
}
