import { RpcTimeoutError } from '@nact-rpc/core';
import { AssociationFixture, sendAsk, type Side } from './support/associationFixture';

let fixture: AssociationFixture;
beforeEach(() => {
  fixture = new AssociationFixture();
});
afterEach(() => fixture.cleanUp());

/** Settles how `promise` ended, without leaving a rejection unhandled. */
function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );
}

/** Waits for the next `count` requests `server` receives; returns their call ids. */
async function answerNext(server: Side, count: number): Promise<number[]> {
  const callIds: number[] = [];
  for (let i = 0; i < count; i++) callIds.push((await server.requests.next()).callId);
  return callIds;
}

/** Sends the answer `value` for each of `callIds` from `server`. */
function answer(server: Side, callIds: number[], value: unknown): void {
  for (const callId of callIds) {
    server.association.encodedReplies.complete(callId, { ok: true, value: server.codec.encode(value) });
  }
}

/** A round trip on the same connection: frames sent before it have been handled once it returns. */
async function roundTrip(client: Side, server: Side): Promise<void> {
  const pending = sendAsk(client, 'barrier');
  answer(server, await answerNext(server, 1), 'barrier');
  await expect(pending).resolves.toBe('barrier');
}

describe('asks that time out', () => {
  test('leave the association’s in-flight set and the pending-call table at once', async () => {
    const { a, b } = await fixture.openPair();
    const pending = outcomeOf(sendAsk(a, 'slow', [], 50));
    const [callId] = await answerNext(b, 1);
    expect(a.association.askCounts()).toEqual({ inFlight: 1, abandoned: 0, served: 0 });
    expect(await pending).toBeInstanceOf(RpcTimeoutError);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 1, served: 0 });
    expect(a.pendingCalls.size).toBe(0);
    expect(a.pendingCalls.reservedCount).toBe(1);
    // The late answer completes nothing and frees the id.
    answer(b, [callId as number], 'late');
    await roundTrip(a, b);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(a.pendingCalls.reservedCount).toBe(0);
    expect(a.logger.entries.filter((entry) => entry.level === 'error' || entry.level === 'warn')).toEqual([]);
  });

  test('many of them, answered late, leave every table empty', async () => {
    const { a, b } = await fixture.openPair();
    const count = 2_000;
    const outcomes = Array.from({ length: count }, (_, i) => outcomeOf(sendAsk(a, 'slow', [i], 30)));
    const callIds = await answerNext(b, count);
    const settled = await Promise.all(outcomes);
    expect(settled.every((outcome) => outcome instanceof RpcTimeoutError)).toBe(true);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: count, served: 0 });
    expect(a.pendingCalls.size).toBe(0);
    answer(b, callIds, 'late');
    await roundTrip(a, b);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(a.pendingCalls.size).toBe(0);
    expect(a.pendingCalls.reservedCount).toBe(0);
  });

  test('never answered, their ids are freed when the association ends', async () => {
    const { a, b } = await fixture.openPair();
    const outcomes = Array.from({ length: 100 }, () => outcomeOf(sendAsk(a, 'neverAnswered', [], 30)));
    await answerNext(b, 100);
    await Promise.all(outcomes);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 100, served: 0 });
    expect(a.pendingCalls.reservedCount).toBe(100);
    a.association.close('done', false);
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(a.pendingCalls.reservedCount).toBe(0);
  });

  test('an answer on time still completes its call and leaves nothing behind', async () => {
    const { a, b } = await fixture.openPair();
    const pending = sendAsk(a, 'quick', [], 10_000);
    answer(b, await answerNext(b, 1), 'on time');
    await expect(pending).resolves.toBe('on time');
    expect(a.association.askCounts()).toEqual({ inFlight: 0, abandoned: 0, served: 0 });
    expect(a.pendingCalls.size).toBe(0);
    expect(a.pendingCalls.reservedCount).toBe(0);
  });
});
