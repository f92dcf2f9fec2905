import { AssociationFixture, sendAsk, type Side } from './support/associationFixture';

let fixture: AssociationFixture;
beforeEach(() => {
  fixture = new AssociationFixture();
});
afterEach(() => fixture.cleanUp());

/** Waits for the next request `server` receives and answers it with `value`. */
async function answerNext(server: Side, value: unknown): Promise<void> {
  const { callId } = await server.requests.next();
  server.association.encodedReplies.complete(callId, { ok: true, value: server.codec.encode(value) });
}

describe('a retiring association', () => {
  test('takes no new calls, answers the asks in flight both ways, then closes cleanly on both sides', async () => {
    const { a, b } = await fixture.openPair();
    const fromA = sendAsk(a, 'fromA');
    const fromB = sendAsk(b, 'fromB');
    a.association.retire('replaced by the other connection');
    expect(a.association.isUsable()).toBe(false);
    expect(a.association.getState()).toBe('open');

    await answerNext(b, 'answer to A');
    await expect(fromA).resolves.toBe('answer to A');
    // A's asks are answered and it said Goodbye; B retires and waits for its own ask.
    expect(b.association.getState()).toBe('open');
    await answerNext(a, 'answer to B');
    await expect(fromB).resolves.toBe('answer to B');

    const [closedA, closedB] = await Promise.all([a.whenClosedEvent, b.whenClosedEvent]);
    expect(closedA.clean).toBe(true);
    expect(closedB.clean).toBe(true);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(b.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    const problems = [...a.logger.entries, ...b.logger.entries].filter((entry) => entry.level !== 'debug');
    expect(problems).toEqual([]);
  });

  test('with nothing in flight closes at once', async () => {
    const { a, b } = await fixture.openPair();
    a.association.retire('replaced');
    const [closedA, closedB] = await Promise.all([a.whenClosedEvent, b.whenClosedEvent]);
    expect(closedA).toEqual({ reason: 'replaced', clean: true, undeliveredTells: 0 });
    expect(closedB.clean).toBe(true);
  });
});
