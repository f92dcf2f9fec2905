import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { RecordingLogger } from '@nact-rpc/testing';
import { encodeHello } from '../src/wire/wireFormat';
import { WireKind } from '../src/wire/WireMessage';
import { AssociationFixture, helloOf, listeningHost, rawFrame } from './support/associationFixture';
import { peerEnded } from '../../../test/support/peerEnded';

describe('protocol errors of open associations', () => {
  let fixture: AssociationFixture;
  beforeEach(() => {
    fixture = new AssociationFixture();
  });
  afterEach(() => fixture.cleanUp());

  /** A raw peer that says hello, waits for the answer, then sends a frame of an unknown kind; resolves once cut off. */
  async function misbehave(port: number, name: string): Promise<void> {
    const socket: Socket = connect(port, '127.0.0.1');
    fixture.track(socket);
    await once(socket, 'connect');
    socket.write(rawFrame(encodeHello(WireKind.Hello, helloOf(name, 'superjson', 1024 * 1024))));
    await once(socket, 'data');
    socket.write(rawFrame(Buffer.of(99)));
    socket.resume();
    await peerEnded(socket);
  }

  test('are logged one per connection up to ten in ten seconds, then counted in one error line', async () => {
    const logger = new RecordingLogger();
    const { transport, port } = await fixture.listening(listeningHost(logger));
    // One after another: a peer that reconnects and makes the same mistake again.
    for (let i = 0; i < 15; i++) await misbehave(port, `peer-${i}`);

    const errors = (): string[] =>
      logger.entries.filter((entry) => entry.level === 'error').map((entry) => entry.message);
    expect(errors()).toHaveLength(10);
    expect(errors()[0]).toMatch(
      /^Protocol error on the connection with service peer-0 at .*: .*\. Closing that connection\.$/,
    );
    await transport.close();
    expect(errors()).toHaveLength(11);
    expect(errors()[10]).toBe('5 more connections were closed for protocol errors in 10 s (not logged one by one).');
  });
});
