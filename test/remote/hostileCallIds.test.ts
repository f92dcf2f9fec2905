/**
 * A peer in another process that picks its call ids so that they all land in one run of the
 * table of asks an association serves (`IntMap`, Fibonacci hashing). Every ask must still be
 * answered once and rightly, every cancel must find its ask, whatever order they come in, the
 * table must be empty afterwards, the service must log no internal error, and a well-behaved
 * client of the same service must see every call succeed meanwhile.
 */
import { RpcCancelledError } from '@nact-rpc/core';
import { WireKind } from '@nact-rpc/transport/internal';
import { stopAllChildren } from '../support/ChildService';
import { cancelPayload, codec, echoAsk, frame, requestPayload } from '../support/fuzz/frames';
import { FuzzTarget } from '../support/fuzz/FuzzTarget';
import { destroyAllRawConnections, RawConnection } from '../support/fuzz/rawConnection';
import { EchoProtocol } from '../fixtures/src/protocols';

/** The multiplier of `IntMap`'s hash. */
const PHI = 0x9e3779b1;

/** The inverse of an odd number mod 2^32 (Newton's iteration). */
function inverseMod32(odd: number): number {
  let inverse = odd;
  for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(odd, inverse));
  return inverse >>> 0;
}

/**
 * `count` call ids, from `first` on, whose hashes are `first`, `first + 1`, …: the top bits of
 * each hash are zero, so every id has the same home slot in a table of up to 2^19 slots.
 */
function collidingIds(first: number, count: number): number[] {
  const inverse = inverseMod32(PHI);
  return Array.from({ length: count }, (_, i) => Math.imul(first + i, inverse) >>> 0);
}

/** A request frame of `EchoGateway.hang()`, which never settles, with id `callId`. */
function hangAsk(callId: number): Buffer {
  return frame(requestPayload(callId, 'echo', EchoProtocol.name, 'hang', undefined, codec.encode([])));
}

describe('a peer whose call ids collide in the served-asks table', () => {
  let target: FuzzTarget;
  let connection: RawConnection;

  beforeAll(async () => {
    target = await FuzzTarget.start('superjson');
    target.startWellBehavedClient();
    connection = await RawConnection.associate(target.port, target.codec.name);
  }, 30_000);

  afterAll(async () => {
    destroyAllRawConnections();
    await target?.stop();
    await stopAllChildren();
  }, 30_000);

  test('the ids really collide: each hashes below 2^13', () => {
    const ids = [...collidingIds(1, 2_000), ...collidingIds(5_000, 500)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Math.imul(id, PHI) >>> 0).toBeLessThan(1 << 13);
  });

  test('every ask is answered once, with its own value', async () => {
    const ids = collidingIds(1, 2_000);
    // All in one write, so that the service reads many before it answers any.
    connection.write(Buffer.concat(ids.map((id, i) => echoAsk(id, i))));
    expect(await connection.waitForAnswer(ids.at(-1) as number, 20_000)).toBe('frame');
    const wanted = new Set(ids);
    expect(connection.frames.filter((f) => f.callId !== undefined && wanted.has(f.callId))).toHaveLength(ids.length);
    ids.forEach((id, i) => {
      const answer = connection.answer(id);
      expect(answer?.kind).toBe(WireKind.ResponseOk);
      expect(target.codec.decode((answer as { payload: Buffer }).payload.subarray(5))).toBe(i);
    });
  }, 30_000);

  test('every cancel finds its ask, in any order, and the table ends empty', async () => {
    const ids = collidingIds(5_000, 500);
    connection.write(Buffer.concat(ids.map(hangAsk)));
    // Cancelled from the middle of the run outwards, odd places first: removals everywhere in it.
    const order = [...ids.filter((_, i) => i % 2 === 1), ...ids.filter((_, i) => i % 2 === 0).reverse()];
    connection.write(Buffer.concat(order.map((id) => frame(cancelPayload(id)))));
    expect(await connection.waitForAnswer(order.at(-1) as number, 20_000)).toBe('frame');
    for (const id of ids) {
      const answers = connection.frames.filter((f) => f.callId === id);
      expect(answers).toHaveLength(1);
      expect(answers[0]?.kind).toBe(WireKind.ResponseError);
      const error = target.codec.decode((answers[0] as { payload: Buffer }).payload.subarray(5));
      expect(JSON.stringify(error)).toContain(RpcCancelledError.name);
    }
  }, 30_000);

  test('the well-behaved client saw every call succeed, the service served nothing more, and logged no internal error', async () => {
    const report = await target.stopWellBehavedClient();
    expect(report.failures).toEqual([]);
    expect(report.calls).toBeGreaterThan(0);
    // Only the ask that reads the counts.
    expect((await target.callCounts()).served).toBe(1);
    expect(await target.check()).toEqual([]);
  }, 30_000);
});
