import { DeadlineLists, type DeadlineEntry } from '../src/calls/DeadlineLists';

interface Entry extends DeadlineEntry {
  readonly name: string;
}

describe('DeadlineLists', () => {
  afterEach(() => jest.useRealTimers());

  const entry = (name: string, timeoutMs: number): Entry => ({ name, deadline: Date.now() + timeoutMs, done: false });

  test('expires each live entry at its deadline, in order, with one timer per timeout length', () => {
    jest.useFakeTimers();
    const expired: string[] = [];
    const lists = new DeadlineLists<Entry>((e) => expired.push(e.name));
    lists.add(entry('a', 100), 100);
    jest.advanceTimersByTime(30);
    lists.add(entry('b', 100), 100);
    lists.add(entry('c', 50), 50);
    expect(jest.getTimerCount()).toBe(2);
    jest.advanceTimersByTime(49);
    expect(expired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['c']);
    jest.advanceTimersByTime(20);
    expect(expired).toEqual(['c', 'a']);
    jest.advanceTimersByTime(29);
    expect(expired).toEqual(['c', 'a']);
    jest.advanceTimersByTime(1);
    expect(expired).toEqual(['c', 'a', 'b']);
    expect(jest.getTimerCount()).toBe(0);
  });

  test('never expires an entry that finished, wherever it stands in its list', () => {
    jest.useFakeTimers();
    const expired: string[] = [];
    const lists = new DeadlineLists<Entry>((e) => expired.push(e.name));
    const entries = ['a', 'b', 'c', 'd'].map((name) => entry(name, 100));
    const handles = entries.map((e) => lists.add(e, 100));
    for (const index of [1, 0, 3]) {
      (entries[index] as Entry).done = true;
      lists.finish(handles[index] as object);
    }
    jest.advanceTimersByTime(100);
    expect(expired).toEqual(['c']);
  });

  test('a list with no live entry does not keep the process alive', () => {
    const lists = new DeadlineLists<Entry>(() => undefined);
    const e = entry('a', 60_000);
    const handle = lists.add(e, 60_000) as { timer?: NodeJS.Timeout };
    expect(handle.timer?.hasRef()).toBe(true);
    e.done = true;
    lists.finish(handle);
    expect(handle.timer?.hasRef()).toBe(false);
    lists.add(entry('b', 60_000), 60_000);
    expect(handle.timer?.hasRef()).toBe(true);
    lists.clear();
  });
});
