import { BufferPool } from '../src/codec/typed/BufferPool';

const KiB = 1024;

describe('BufferPool', () => {
  test('takes back only what it handed over, once, and gives it out again', () => {
    const pool = new BufferPool();
    const buffer = Buffer.allocUnsafeSlow(100 * KiB);
    expect(pool.giveBack(buffer)).toBe(false);
    pool.handOver(buffer);
    expect(pool.giveBack(buffer.subarray(0, 90 * KiB))).toBe(true);
    expect(pool.giveBack(buffer)).toBe(false);
    expect(pool.bytesFree).toBe(100 * KiB);
    const taken = pool.take(90 * KiB);
    expect(taken?.buffer).toBe(buffer.buffer);
    expect(taken?.length).toBe(100 * KiB);
    expect(pool.take(90 * KiB)).toBeUndefined();
    expect(pool.bytesFree).toBe(0);
  });

  test('gives a buffer only to a request it fits within a quarter', () => {
    const pool = new BufferPool();
    const buffer = Buffer.allocUnsafeSlow(100 * KiB);
    pool.handOver(buffer);
    pool.giveBack(buffer);
    expect(pool.take(101 * KiB)).toBeUndefined();
    expect(pool.take(79 * KiB)).toBeUndefined();
    expect(pool.take(80 * KiB)?.buffer).toBe(buffer.buffer);
  });

  test('keeps at most its limit; a buffer beyond it is left to the collector', () => {
    const pool = new BufferPool(250 * KiB);
    const buffers = [1, 2, 3].map(() => Buffer.allocUnsafeSlow(100 * KiB));
    for (const buffer of buffers) pool.handOver(buffer);
    expect(buffers.map((buffer) => pool.giveBack(buffer))).toEqual([true, true, false]);
    expect(pool.bytesFree).toBe(200 * KiB);
  });

  test('refuses a view that does not start at the beginning of its buffer', () => {
    const pool = new BufferPool();
    const buffer = Buffer.allocUnsafeSlow(100 * KiB);
    pool.handOver(buffer);
    expect(pool.giveBack(buffer.subarray(1))).toBe(false);
    expect(pool.bytesFree).toBe(0);
  });
});
