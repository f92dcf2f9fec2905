import {
  ask,
  defineProtocol,
  RpcDeadlineExceededError,
  RpcEndpoint,
  RpcTimeoutError,
  serves,
  withCallOptions,
  type CallContext,
  type RpcService,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { encodeRequestHeader, type WireCallInfo } from '@nact-rpc/transport/internal';
import { deferred, RecordingLogger, rejectionOf, VirtualClock } from '@nact-rpc/testing';
import { rawPeer, rawPeerCodec } from './support/rawPeer';

const Clerk = defineProtocol('Clerk', {
  /** What the method saw of its call. */
  context: ask<[], Pick<CallContext, 'deadline' | 'metadata'>>(),
});

@serves(Clerk)
class ClerkEndpoint extends RpcEndpoint {
  runs = 0;
  readonly opened = deferred();

  constructor(
    rpcService: RpcService,
    private readonly held = false,
  ) {
    super(rpcService, 'clerk');
  }

  /** A held clerk keeps its mailbox closed until the test opens it. */
  protected override async onStart(): Promise<void> {
    if (this.held) await this.opened.promise;
  }

  context(): Pick<CallContext, 'deadline' | 'metadata'> {
    this.runs++;
    const { deadline, metadata } = this.getCallContext();
    return { deadline, metadata: { ...metadata } };
  }
}

describe('a deadline on the serving side', () => {
  test('a request whose deadline has passed is refused with RpcDeadlineExceededError, and does not run', async () => {
    const server = await NactRpcService.create({ name: 'clerks', listen: { port: 0 }, logger: new RecordingLogger() });
    const clerk = new ClerkEndpoint(server);
    await clerk.start();
    const peer = await rawPeer(server.getPort());
    try {
      // A gateway never sends a call whose deadline has passed; a peer that writes one by hand is refused.
      const call = (info: WireCallInfo): Promise<unknown> => {
        const { callId, promise } = peer.pendingCalls.register({
          target: 'Clerk.context',
          recipient: clerk.getAddress(),
          timeoutMs: 5_000,
          codec: rawPeerCodec,
        });
        const header = encodeRequestHeader(callId, 'clerk', 'Clerk', 'context', undefined, info);
        peer.association.sendRequest(callId, header, rawPeerCodec.encode([]), 'Clerk.context');
        return promise;
      };
      const refused = await rejectionOf(call({ deadlineMs: 0 }));
      expect(refused).toBeInstanceOf(RpcDeadlineExceededError);
      expect((refused as RpcDeadlineExceededError).code).toBe('RPC_DEADLINE_EXCEEDED');
      expect((refused as Error).message).toContain('its deadline passed before it started');
      expect(clerk.runs).toBe(0);

      const before = Date.now();
      const seen = (await call({ deadlineMs: 60_000, metadata: { tenant: 'acme' } })) as CallContext;
      expect(seen.metadata).toEqual({ tenant: 'acme' });
      expect(seen.deadline).toBeGreaterThanOrEqual(before + 60_000);
      expect(seen.deadline).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(clerk.runs).toBe(1);
    } finally {
      peer.close();
      await server.closeAsync();
    }
  });

  test('a local call whose deadline passes while it waits in the mailbox is refused there, and does not run', async () => {
    const clock = new VirtualClock();
    const logger = new RecordingLogger();
    const service = new NactRpcService({ name: 'clerks', clock, logger });
    const clerk = new ClerkEndpoint(service, true);
    const started = clerk.start();
    try {
      const waiting = withCallOptions(clerk.getSelfGateway(Clerk), { timeoutMs: 50 }).context();
      await clock.advance(60);
      expect(await rejectionOf(waiting)).toBeInstanceOf(RpcTimeoutError);
      clerk.opened.resolve();
      await started;
      await clock.settle();
      expect(logger.find('debug', 'Refused ask Clerk.context')).toHaveLength(1);
      expect(logger.find('debug', 'its deadline passed before it started')).toHaveLength(1);
      expect(clerk.runs).toBe(0);
    } finally {
      await service.closeAsync();
    }
  });

  test('a call made once its deadline has passed is not sent', async () => {
    const clock = new VirtualClock();
    const service = new NactRpcService({ name: 'clerks', clock });
    const clerk = new ClerkEndpoint(service);
    await clerk.start();
    try {
      const late = withCallOptions(clerk.getSelfGateway(Clerk), { deadline: clock.now() - 1 }).context();
      const error = await rejectionOf(late);
      expect(error).toBeInstanceOf(RpcDeadlineExceededError);
      expect((error as Error).message).toContain('had passed before the call was made');
      expect(await clerk.getSelfGateway(Clerk).context()).toEqual({ deadline: undefined, metadata: {} });
      expect(clerk.runs).toBe(1);
    } finally {
      await service.closeAsync();
    }
  });
});
