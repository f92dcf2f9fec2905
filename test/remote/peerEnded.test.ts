import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { peerEnded } from '../support/peerEnded';

/** The support helper the hostile-client tests wait on: a reset is an end, not a failure. */
describe('peerEnded', () => {
  let server: Server;
  let accepted: Promise<[Socket]>;
  let client: Socket;

  beforeEach(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    accepted = once(server, 'connection') as Promise<[Socket]>;
    client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
  });
  afterEach(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('resolves without a reset when the server ends the connection in order', async () => {
    const [inbound] = await accepted;
    const ended = peerEnded(client);
    client.resume();
    inbound.end();
    await expect(ended).resolves.toEqual({ reset: undefined });
  });

  test('resolves with the reset when the server cuts the connection', async () => {
    const [inbound] = await accepted;
    const ended = peerEnded(client);
    inbound.resetAndDestroy();
    await expect(ended).resolves.toEqual({ reset: 'ECONNRESET' });
  });

  test('rejects on an error that is not a reset', async () => {
    const ended = peerEnded(client);
    client.destroy(Object.assign(new Error('not a reset'), { code: 'EOTHER' }));
    await expect(ended).rejects.toThrow('not a reset');
  });

  test('resolves at once for a socket already closed', async () => {
    client.destroy();
    await once(client, 'close');
    await expect(peerEnded(client)).resolves.toEqual({ reset: undefined });
  });
});
