import { connect } from 'node:net';
import { once } from 'node:events';
import { ask, defineProtocol, RpcEndpoint, RpcSerializationError, serves, SuperJsonCodec } from '@nact-rpc/core';
import { PendingCalls } from '@nact-rpc/core/internal';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import {
  Association,
  encodeRequestHeader,
  resolveTransportOptions,
  WIRE_MAGIC,
  WIRE_VERSION,
} from '@nact-rpc/transport/internal';
import { rejectionOf } from '../../../test/support/failures';
import { RecordingLogger } from '../../../test/support/RecordingLogger';

const Adder = defineProtocol('Adder', {
  add: ask<[a: number, b: number], number>(),
});

@serves(Adder)
class AdderEndpoint extends RpcEndpoint {
  calls = 0;

  add(a: number, b: number): number {
    this.calls++;
    return a + b;
  }
}

/**
 * A peer that speaks the wire protocol but sends what no gateway would: an association of its
 * own to the service, on which the test writes request frames by hand.
 */
async function rawPeer(
  port: number,
): Promise<{ association: Association; pendingCalls: PendingCalls; close: () => void }> {
  const codec = new SuperJsonCodec();
  const pendingCalls = new PendingCalls(5_000, false);
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const host = {
    serviceName: 'raw-peer',
    incarnation: 'raw-peer-run-1',
    codec,
    logger: new RecordingLogger(),
    pendingCalls,
    onRequest: () => undefined,
    onHandshake: () => undefined,
  };
  const hello = {
    magic: WIRE_MAGIC,
    wireVersion: WIRE_VERSION,
    serviceName: 'raw-peer',
    incarnation: 'raw-peer-run-1',
    codec: codec.name,
    maxFrameSize: 1 << 20,
  };
  const events = { opened: () => undefined, closed: () => undefined };
  const association = new Association(
    'outbound',
    socket,
    host,
    resolveTransportOptions({}),
    hello,
    events,
    () => undefined,
  );
  await association.whenOpen();
  return { association, pendingCalls, close: () => association.close('test over', true) };
}

describe('a request that does not follow the protocol', () => {
  let service: NactRpcService;
  afterEach(async () => {
    await service.closeAsync();
  });

  test('whose arguments are not an array is refused with RpcSerializationError, and the method does not run', async () => {
    const logger = new RecordingLogger();
    service = await NactRpcService.create({ name: 'adder', logger, listen: { port: 0 } });
    const endpoint = new AdderEndpoint(service, 'adder-1');
    await endpoint.start();
    const peer = await rawPeer(service.getPort());
    try {
      const codec = new SuperJsonCodec();
      const { callId, promise } = peer.pendingCalls.register({
        target: 'Adder.add',
        recipient: endpoint.getAddress(),
        timeoutMs: 5_000,
        codec,
      });
      const header = encodeRequestHeader(callId, 'adder-1', 'Adder', 'add', undefined);
      peer.association.sendRequest(callId, header, codec.encode({ a: 1, b: 2 }), 'Adder.add');

      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(RpcSerializationError);
      expect((error as Error).message).toBe(
        `Refused ask Adder.add to endpoint adder-1 (AdderEndpoint) at ${endpoint.getAddress()}: its arguments are not an array.`,
      );
      expect(endpoint.calls).toBe(0);
    } finally {
      peer.close();
    }
  });
});
