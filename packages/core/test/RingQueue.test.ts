import fc from 'fast-check';
import { RingQueue } from '../src/util/RingQueue';
import { MIB, arrayBuffersLeftBy } from '../../../test/support/youngGeneration';

describe('RingQueue', () => {
  test('takes items out in the order they went in, as an array used as a queue does', () => {
    // A command pushes (a number) or shifts (null); the queue and an array must agree throughout.
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer(), { nil: null, freq: 3 }), { maxLength: 400 }), (commands) => {
        const queue = new RingQueue<number>();
        const model: number[] = [];
        for (const command of commands) {
          if (command === null) {
            expect(queue.peek()).toBe(model[0]);
            expect(queue.shift()).toBe(model.shift());
          } else {
            queue.push(command);
            model.push(command);
          }
          expect(queue.size).toBe(model.length);
        }
      }),
    );
  });

  test('keeps its order across growth with its items wrapped around the end of the ring', () => {
    const queue = new RingQueue<number>();
    for (let i = 0; i < 12; i++) queue.push(i);
    for (let i = 0; i < 10; i++) expect(queue.shift()).toBe(i);
    // 2 items at slots 10 and 11; 14 more wrap around, and the 17th makes it grow.
    for (let i = 12; i < 29; i++) queue.push(i);
    const taken: (number | undefined)[] = [];
    while (queue.size > 0) taken.push(queue.shift());
    expect(taken).toEqual(Array.from({ length: 19 }, (_, i) => i + 10));
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
  });

  test('clear empties it, and it takes items again after', () => {
    const queue = new RingQueue<string>();
    queue.push('a');
    queue.push('b');
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
    queue.push('c');
    expect(queue.shift()).toBe('c');
  });

  describe('and the collector', () => {
    // A mailbox or deadline list lives as long as its endpoint; the items pass through. The
    // array it outgrows, in the old generation by then, must not keep them from the young
    // generation's collections after they are taken out.
    test('an item queued while the queue grew is freed by young-generation collections once taken', async () => {
      const queue = new RingQueue<Buffer | undefined>();
      for (let i = 0; i < 2047; i++) queue.push(undefined);
      const left = await arrayBuffersLeftBy(() => {
        queue.push(Buffer.alloc(4 * MIB, 1)); // the last free slot of 2,048
        queue.push(undefined); // the queue grows
        while (queue.size > 0) queue.shift();
      });
      expect(left).toBeLessThan(2 * MIB);
    });

    test('an item of a cleared queue is freed by young-generation collections', async () => {
      const queue = new RingQueue<Buffer | undefined>();
      for (let i = 0; i < 100; i++) queue.push(undefined);
      const left = await arrayBuffersLeftBy(() => {
        queue.push(Buffer.alloc(4 * MIB, 1));
        queue.clear();
      });
      expect(left).toBeLessThan(2 * MIB);
    });
  });
});
