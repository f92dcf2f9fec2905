import { NactRpcService } from '@nact-rpc/runtime-nact';
import { EchoProtocol } from '../fixtures/src/protocols';
import { fixtureCodec } from '../fixtures/src/values';
import { RecordingLogger } from '@nact-rpc/testing';
import { ChildService, stopAllChildren } from '../support/ChildService';

/** Keeps this process's thread busy for `ms`, as a burst of local work would. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: no event-loop turn, no socket read, no timer.
  }
}

describe('a process busy with local work', () => {
  let client: NactRpcService | undefined;
  afterEach(async () => {
    await client?.closeAsync();
    client = undefined;
    await stopAllChildren();
  });

  test('does not declare a peer dead whose heartbeats wait unread in its socket', async () => {
    // The peer pings every 20 ms and is patient; this side gives up after 200 ms of silence.
    const server = await ChildService.start({ transport: { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 10_000 } });
    const logger = new RecordingLogger();
    client = new NactRpcService({
      name: 'busy',
      codec: fixtureCodec(),
      logger,
      transport: { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 200 },
    });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    expect(await echo.echo(1)).toBe(1);
    // Longer than the timeout: when the thread is free again, the heartbeat's timer fires
    // before the event loop reads the socket, where the peer's pings have been waiting.
    busyFor(600);
    expect(await echo.echo(2)).toBe(2);
    expect(logger.find('warn', 'declaring it dead')).toEqual([]);
    expect(logger.find('warn', 'ended')).toEqual([]);
  });
});
