import { Mailbox } from '../src/Mailbox';
import { MIB, ageEverything, arrayBuffersAfterScavenges } from '../../../test/support/youngGeneration';

describe('Mailbox and the collector', () => {
  test('a message delivered after the queue was compacted is freed by young-generation collections', async () => {
    const mailbox = new Mailbox<Buffer | undefined>({ wakeUp: () => {}, process: () => undefined }, 1_100);
    for (let i = 0; i < 2_100; i++) mailbox.enqueue(undefined);
    ageEverything();
    const before = await arrayBuffersAfterScavenges(1);
    ((): void => {
      mailbox.enqueue(Buffer.alloc(4 * MIB, 1));
      // 1,100 delivered, then the queue is compacted; then the rest, the large message last.
      // No message holds the mailbox: each delivery ends at once.
      expect(mailbox.deliver()).toBeUndefined();
      expect(mailbox.deliver()).toBeUndefined();
    })();
    expect(mailbox.size).toBe(0);
    const left = (await arrayBuffersAfterScavenges(4)) - before;
    expect(left).toBeLessThan(2 * MIB);
  });
});
