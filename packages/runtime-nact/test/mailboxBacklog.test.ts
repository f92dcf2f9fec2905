import { defineProtocol, RpcEndpoint, serves, tell } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { Mailbox, type MailboxOwner } from '../src/Mailbox';
import type { NactRpcServer } from '../src/NactRpcServer';
import { deferred, type Deferred } from '@nact-rpc/testing';
import { RecordingLogger } from '@nact-rpc/testing';

const NoteProtocol = defineProtocol('NoteGateway', { note: tell<[n: number]>() });

/** An endpoint whose `onStart` holds its mailbox until {@link gate} opens. */
@serves(NoteProtocol)
class GatedEndpoint extends RpcEndpoint {
  readonly gate = deferred();
  readonly entered = deferred();
  notes = 0;

  protected override onStart(): Promise<void> {
    this.entered.resolve();
    return this.gate.promise;
  }

  note(): void {
    this.notes++;
  }

  server(): NactRpcServer {
    return this.rpcServer as NactRpcServer;
  }
}

/**
 * A mailbox whose deliveries the test runs by hand: `wakeUp` only counts, and `deliver()` is
 * called by the test. A message `'hold'` holds the mailbox until the test releases it.
 */
function mailboxUnderTest(maxBatch: number): {
  mailbox: Mailbox<string>;
  processed: string[];
  holds: Deferred<void>[];
} {
  const processed: string[] = [];
  const holds: Deferred<void>[] = [];
  const owner: MailboxOwner<string> = {
    wakeUp: () => undefined,
    process: (message) => {
      processed.push(message);
      if (message !== 'hold') return;
      const hold = deferred();
      holds.push(hold);
      return hold.promise;
    },
  };
  return { mailbox: new Mailbox(owner, maxBatch), processed, holds };
}

function fill(mailbox: Mailbox<string>, count: number): void {
  for (let i = 0; i < count; i++) mailbox.enqueue(`m${i}`);
}

describe('Mailbox.whenAtMost: the low-water notification', () => {
  test('calls back at once when the mailbox already holds at most that many', () => {
    const { mailbox } = mailboxUnderTest(10);
    fill(mailbox, 3);
    const callback = jest.fn();
    mailbox.whenAtMost(3, callback);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  test('calls back once, at the end of the first delivery that leaves at most that many', () => {
    const { mailbox, processed } = mailboxUnderTest(4);
    fill(mailbox, 10);
    const callback = jest.fn(() => expect(mailbox.size).toBeLessThanOrEqual(3));
    mailbox.whenAtMost(3, callback);

    void mailbox.deliver(); // 10 -> 6
    expect(mailbox.size).toBe(6);
    expect(callback).not.toHaveBeenCalled();
    void mailbox.deliver(); // 6 -> 2
    expect(mailbox.size).toBe(2);
    expect(callback).toHaveBeenCalledTimes(1);
    void mailbox.deliver(); // 2 -> 0
    expect(callback).toHaveBeenCalledTimes(1);
    expect(processed).toHaveLength(10);
  });

  test('calls back when the mailbox empties', () => {
    const { mailbox } = mailboxUnderTest(100);
    fill(mailbox, 10);
    const callback = jest.fn();
    mailbox.whenAtMost(0, callback);
    void mailbox.deliver();
    expect(mailbox.size).toBe(0);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  test('serves several waiters, each at its own size, and forgets those called back', () => {
    const { mailbox } = mailboxUnderTest(3);
    fill(mailbox, 9);
    const calls: string[] = [];
    mailbox.whenAtMost(5, () => calls.push('at 5'));
    mailbox.whenAtMost(0, () => calls.push('at 0'));
    mailbox.whenAtMost(6, () => calls.push('at 6'));
    void mailbox.deliver(); // 9 -> 6
    expect(calls).toEqual(['at 6']);
    void mailbox.deliver(); // 6 -> 3
    expect(calls).toEqual(['at 6', 'at 5']);
    void mailbox.deliver(); // 3 -> 0
    expect(calls).toEqual(['at 6', 'at 5', 'at 0']);
    fill(mailbox, 9);
    void mailbox.deliver();
    void mailbox.deliver();
    void mailbox.deliver();
    expect(calls).toHaveLength(3);
  });

  test('is checked when a message holds the mailbox, and again when delivery goes on', async () => {
    const { mailbox, holds } = mailboxUnderTest(100);
    mailbox.enqueue('m0');
    mailbox.enqueue('hold');
    fill(mailbox, 2);
    const atTwo = jest.fn();
    const atZero = jest.fn();
    mailbox.whenAtMost(2, atTwo);
    mailbox.whenAtMost(0, atZero);

    const rest = mailbox.deliver();
    expect(rest).toBeInstanceOf(Promise);
    expect(mailbox.size).toBe(2);
    expect(atTwo).toHaveBeenCalledTimes(1);
    expect(atZero).not.toHaveBeenCalled();

    holds[0]?.resolve();
    await rest;
    expect(mailbox.size).toBe(0);
    expect(atZero).toHaveBeenCalledTimes(1);
  });

  test('a released mailbox (its endpoint terminated) releases its waiters, and later ones at once', () => {
    const { mailbox } = mailboxUnderTest(10);
    mailbox.enqueue('hold');
    fill(mailbox, 20);
    void mailbox.deliver(); // held: 20 wait, and will not move
    const waiter = jest.fn();
    mailbox.whenAtMost(5, waiter);
    expect(waiter).not.toHaveBeenCalled();

    mailbox.release();
    expect(waiter).toHaveBeenCalledTimes(1);
    const later = jest.fn();
    mailbox.whenAtMost(0, later);
    expect(later).toHaveBeenCalledTimes(1);
  });
});

describe("an endpoint's backlog (NactRpcServer.backlog)", () => {
  test('counts what waits in the mailbox, and is released when the endpoint terminates', async () => {
    const service = new NactRpcService({ name: 'gated', logger: new RecordingLogger() });
    const endpoint = new GatedEndpoint(service, 'gated-1');
    try {
      const gateway = await service.connect(endpoint.getAddress(), NoteProtocol);
      const started = endpoint.start();
      await endpoint.entered.promise;
      for (let n = 0; n < 10; n++) gateway.note(n);
      const { backlog } = endpoint.server();
      expect(backlog.size).toBe(10);
      const halfway = jest.fn();
      const never = jest.fn();
      backlog.whenAtMost(5, halfway);
      // No mailbox ever holds fewer than nothing: only the termination can release this one.
      backlog.whenAtMost(-1, never);

      const terminated = endpoint.closeAsync();
      endpoint.gate.resolve();
      await started;
      await terminated;
      expect(endpoint.notes).toBe(10);
      expect(halfway).toHaveBeenCalledTimes(1);
      expect(never).toHaveBeenCalledTimes(1);
      const late = jest.fn();
      backlog.whenAtMost(-1, late);
      expect(late).toHaveBeenCalledTimes(1);
    } finally {
      endpoint.gate.resolve();
      await service.closeAsync();
    }
  });
});
