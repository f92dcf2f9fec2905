import { RpcSerializationError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { encodeRequestHeader } from '@nact-rpc/transport/internal';
import { rejectionOf } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { AdderEndpoint, rawPeer, rawPeerCodec } from './support/rawPeer';

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
      const codec = rawPeerCodec;
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
