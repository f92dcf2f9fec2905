import { newIncarnationId, useIncarnationIds } from '@nact-rpc/core/internal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('incarnation ids', () => {
  test('are random UUIDs, or what the latest source in force gives until it is released', () => {
    expect(newIncarnationId()).toMatch(UUID);
    expect(newIncarnationId()).not.toBe(newIncarnationId());
    let n = 0;
    const outer = useIncarnationIds(() => `outer-${++n}`);
    expect([newIncarnationId(), newIncarnationId()]).toEqual(['outer-1', 'outer-2']);
    const inner = useIncarnationIds(() => 'inner');
    expect(newIncarnationId()).toBe('inner');
    inner();
    inner();
    expect(newIncarnationId()).toBe('outer-3');
    outer();
    expect(newIncarnationId()).toMatch(UUID);
  });
});
