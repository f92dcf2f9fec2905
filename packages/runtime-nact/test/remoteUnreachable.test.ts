import {
  ask,
  defineProtocol,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcEndpoint,
  serves,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { RecordingLogger } from '@nact-rpc/testing';

/**
 * After Flink's RemotePekkoRpcActorTest: a call to an endpoint that has gone, or whose service
 * has closed, fails at once with RecipientUnreachableError, never by a timeout, and with the
 * same class whether the service closed before the call or while it was pending.
 */
const Values = defineProtocol('RemoteValues', { value: ask<[], string>(), hang: ask<[], string>() });

@serves(Values)
class ValueEndpoint extends RpcEndpoint {
  value(): string {
    return 'value';
  }
  hang(): Promise<string> {
    return new Promise(() => undefined);
  }
}

describe('a remote endpoint that is gone', () => {
  const services: NactRpcService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.closeAsync()));
  });

  async function remoteGateway() {
    const server = await NactRpcService.create({ name: 'server', listen: { host: '127.0.0.1', port: 0 } });
    // An hour: a call that failed only by its timeout would hang the test.
    const client = new NactRpcService({ name: 'client', logger: new RecordingLogger(), askTimeoutMs: 3_600_000 });
    services.push(server, client);
    const endpoint = new ValueEndpoint(server, 'values');
    await endpoint.start();
    const gateway = await client.connect(endpoint.getAddress(), Values);
    expect(await gateway.value()).toBe('value');
    return { server, client, endpoint, gateway };
  }

  test('failsRpcResultImmediatelyIfEndpointIsStopped', async () => {
    const { endpoint, gateway } = await remoteGateway();
    await endpoint.closeAsync();
    await expect(gateway.value()).rejects.toBeInstanceOf(RecipientUnreachableError);
  });

  test('failsRpcResultImmediatelyIfRemoteRpcServiceIsNotAvailable', async () => {
    const { server, gateway } = await remoteGateway();
    const pending = gateway.hang().catch((error: unknown) => error);
    await server.closeAsync();
    // The call in flight when the service closed, and a call made after: one class.
    const inFlight = await pending;
    const after = await gateway.value().catch((error: unknown) => error);
    for (const error of [inFlight, after]) expect(error).toBeInstanceOf(RecipientUnreachableError);
    // The later one tried to connect: the connection's error is its cause.
    expect((after as Error).cause).toBeInstanceOf(RpcConnectionError);
    expect((after as Error).message).toMatch(/ECONNREFUSED|refused/);
  });

  test('a caller that retries at once after each failure lets the event loop turn in between', async () => {
    const { server, gateway } = await remoteGateway();
    await server.closeAsync();
    // The attempt to connect fails: from now on the peer is unreachable, and calls fail at once.
    expect(await gateway.value().catch((error: unknown) => error)).toBeInstanceOf(RecipientUnreachableError);
    let turned = false;
    setImmediate(() => (turned = true));
    const failures: unknown[] = [];
    // Failing within the turn, a retry loop would never let the event loop run: bounded here.
    while (!turned && failures.length < 1_000) failures.push(await gateway.value().catch((error: unknown) => error));
    expect(turned).toBe(true);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(RecipientUnreachableError);
    expect((failures[0] as Error).message).toMatch(/is unreachable/);
  });
});
