import fc from 'fast-check';
import { CallTable } from '../src/calls/CallTable';
import { PendingCalls } from '../src/calls/PendingCalls';

const slotsOf = (table: CallTable<{ callId: number }>): number =>
  (table as unknown as { slots: unknown[] }).slots.length;

describe('CallTable', () => {
  it('behaves as a Map of the ids it hands out, through any sequence of adds and deletes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(400)), { maxLength: 500 }), (steps) => {
        const table = new CallTable<{ callId: number }>();
        const model = new Map<number, { callId: number }>();
        let next = 1;
        for (const step of steps) {
          if (step === -1) {
            // Add: the next id whose slot is free, as PendingCalls picks it.
            while (!table.isFree(next)) next++;
            const entry = { callId: next++ };
            expect(model.has(entry.callId)).toBe(false);
            table.add(entry);
            model.set(entry.callId, entry);
          } else {
            // Delete an id held (picked by position) or one never handed out.
            const held = [...model.keys()];
            const id = held.length > 0 && step % 3 !== 0 ? (held[step % held.length] as number) : next + step;
            expect(table.delete(id)).toBe(model.delete(id));
          }
          expect(table.size).toBe(model.size);
          for (const [id, entry] of model) expect(table.get(id)).toBe(entry);
          expect(table.has(next)).toBe(false);
        }
        expect(new Set(table.values())).toEqual(new Set(model.values()));
      }),
      { numRuns: 200 },
    );
  });

  it('never hands out the id of a slot that is taken, and tells apart ids sharing a slot', () => {
    const table = new CallTable<{ callId: number }>();
    const old = { callId: 1 };
    table.add(old);
    const size = slotsOf(table);
    expect(table.isFree(1 + size)).toBe(false);
    expect(table.get(1 + size)).toBeUndefined();
    expect(table.delete(1 + size)).toBe(false);
    expect(table.get(1)).toBe(old);
  });

  it('grows as calls pile up and gives its memory back once empty', () => {
    const table = new CallTable<{ callId: number }>();
    const small = slotsOf(table);
    for (let id = 1; id <= 10_000; id++) table.add({ callId: id });
    expect(slotsOf(table)).toBeGreaterThanOrEqual(20_000);
    for (let id = 1; id <= 10_000; id++) expect(table.get(id)?.callId).toBe(id);
    for (let id = 1; id <= 10_000; id++) table.delete(id);
    expect(table.size).toBe(0);
    expect(slotsOf(table)).toBe(small);
  });
});

describe('PendingCalls ids', () => {
  it('skip an id whose slot an older call still holds', () => {
    const calls = new PendingCalls(10_000, false);
    const call = { target: 'P.m', recipient: 'r', timeoutMs: undefined };
    const long = calls.register(call);
    const slots = slotsOf((calls as unknown as { calls: CallTable<{ callId: number }> }).calls);
    const ids: number[] = [];
    for (let i = 0; i < slots; i++) {
      const short = calls.register(call);
      ids.push(short.callId);
      calls.complete(short.callId, { ok: true, value: i });
    }
    expect(long.callId).toBe(1);
    // 1 + slots shares the long call's slot: it is skipped, and ids stay unique.
    expect(ids).not.toContain(1 + slots);
    expect(ids.at(-1)).toBe(2 + slots);
    expect(new Set(ids).size).toBe(ids.length);
    calls.complete(long.callId, { ok: true, value: 'long' });
    return expect(long.promise).resolves.toBe('long');
  });
});
