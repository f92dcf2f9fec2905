import { ask, defineProtocol, RpcEndpoint, RpcInvalidStateError, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { encodeRequestHeader } from '@nact-rpc/transport/internal';
import { rejectionOf } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';
import { rawPeer, rawPeerCodec } from './support/rawPeer';

const Vault = defineProtocol('Vault', {
  open: ask<[], string>({ local: true }),
  peek: ask<[], string>(),
});

@serves(Vault)
class VaultEndpoint extends RpcEndpoint {
  opened = 0;

  open(): string {
    this.opened++;
    return 'opened';
  }

  peek(): string {
    return 'closed';
  }
}

describe('a local-only method', () => {
  let server: NactRpcService;
  afterEach(() => server.closeAsync());

  test('is refused when a request off the wire names it, and does not run; other methods are served', async () => {
    server = await NactRpcService.create({ name: 'vault', listen: { port: 0 }, logger: new RecordingLogger() });
    const endpoint = new VaultEndpoint(server, 'vault-1');
    await endpoint.start();
    // In its own process it is called as usual.
    expect(await server.connect(endpoint.getAddress(), Vault).then((vault) => vault.open())).toBe('opened');
    const peer = await rawPeer(server.getPort());
    try {
      // A gateway never sends it; a peer that writes the request by hand is refused.
      const call = (method: string): Promise<unknown> => {
        const { callId, promise } = peer.pendingCalls.register({
          target: `Vault.${method}`,
          recipient: endpoint.getAddress(),
          timeoutMs: 5_000,
          codec: rawPeerCodec,
        });
        const header = encodeRequestHeader(callId, 'vault-1', 'Vault', method, undefined);
        peer.association.sendRequest(callId, header, rawPeerCodec.encode([]), `Vault.${method}`);
        return promise;
      };
      const error = await rejectionOf(call('open'));
      expect(error).toBeInstanceOf(RpcInvalidStateError);
      expect((error as Error).message).toContain('the method is local-only: it cannot be called from another process');
      expect(endpoint.opened).toBe(1);
      expect(await call('peek')).toBe('closed');
    } finally {
      peer.close();
    }
  });
});
