import { RecipientUnreachableError } from '@nact-rpc/core';
import { encodeRequestHeader } from '@nact-rpc/transport/internal';
import { eventLoopTurns } from '@nact-rpc/testing';
import { AssociationFixture, sendAsk } from './support/associationFixture';

const MiB = 1024 * 1024;

describe('an association over its output limit', () => {
  const fixture = new AssociationFixture();
  afterEach(() => fixture.cleanUp());

  test('closes, not cleanly, when its peer does not read; its asks fail with the reason; it counts its tells', async () => {
    const { a, b } = await fixture.openPair({}, { transport: { maxFrameSize: 64 * 1024, maxOutputBytes: MiB } });
    a.socket.pause(); // A reads nothing from now on
    const ask = sendAsk(b, 'echo', [1]);
    const header = encodeRequestHeader(0, 'endpoint-1', 'Protocol', 'note', undefined);
    const payload = b.codec.encode(['x'.repeat(16 * 1024)]);
    let tells = 0;
    // One batch of tells per turn, as a busy sender writes them, until the kernel's buffers and the limit fill.
    while (b.association.getState() === 'open' && tells < 100_000) {
      for (let i = 0; i < 16 && b.association.getState() === 'open'; i++, tells++) {
        b.association.sendRequest(0, header, payload, 'Protocol.note');
      }
      await eventLoopTurns();
    }
    const closed = await b.whenClosedEvent;
    expect(closed.clean).toBe(false);
    expect(closed.reason).toMatch(
      /^the peer does not read: \d+ bytes wait to be sent, over maxOutputBytes \(1048576\)$/,
    );
    const error = await ask.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(RecipientUnreachableError);
    expect((error as Error).message).toContain('the peer does not read');
    const undelivered = closed.undeliveredTells;
    // About 1 MiB of 16 KiB tells waited in the writer and the socket's buffer (64), plus at most
    // the one that overflowed and one batch (16) the kernel took only in part.
    expect(undelivered).toBeGreaterThanOrEqual(60);
    expect(undelivered).toBeLessThanOrEqual(64 + 1 + 16);
    expect(undelivered).toBeLessThan(tells);
    expect(b.logger.find('error', 'Dropped tell')).toHaveLength(0);
  });

  test('a peer that reads is never cut, however much goes through (16 MiB through a 1 MiB limit)', async () => {
    const { a, b } = await fixture.openPair({}, { transport: { maxFrameSize: 64 * 1024, maxOutputBytes: MiB } });
    const payload = b.codec.encode(['x'.repeat(16 * 1024)]);
    const header = encodeRequestHeader(0, 'endpoint-1', 'Protocol', 'note', undefined);
    for (let round = 0; round < 32; round++) {
      for (let i = 0; i < 32; i++) b.association.sendRequest(0, header, payload, 'Protocol.note');
      for (let i = 0; i < 32; i++) await a.requests.next(); // the reader keeps up
    }
    expect(b.association.getState()).toBe('open');
  });
});
