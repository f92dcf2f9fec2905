import { resolveTransportOptions, type TransportOptions } from '@nact-rpc/transport';

const DEFAULTS = {
  maxFrameSize: 10 * 1024 * 1024,
  connectTimeoutMs: 5_000,
  heartbeatIntervalMs: 1_000,
  heartbeatTimeoutMs: 10_000,
  reconnectBackoffMs: 100,
  maxReconnectBackoffMs: 5_000,
  maxQueuedMessages: 10_000,
};

type OptionName = keyof TransportOptions;
const OPTION_NAMES = Object.keys(DEFAULTS) as OptionName[];

function rangeErrorOf(options: TransportOptions): string {
  let thrown: unknown;
  try {
    resolveTransportOptions(options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RangeError);
  return (thrown as RangeError).message;
}

describe('resolveTransportOptions', () => {
  test('applies every default when no options are given', () => {
    expect(resolveTransportOptions()).toEqual(DEFAULTS);
    expect(resolveTransportOptions({})).toEqual(DEFAULTS);
  });

  test('keeps the options that are given and defaults the others', () => {
    expect(resolveTransportOptions({ maxFrameSize: 4096, heartbeatIntervalMs: 20, heartbeatTimeoutMs: 100 })).toEqual({
      ...DEFAULTS,
      maxFrameSize: 4096,
      heartbeatIntervalMs: 20,
      heartbeatTimeoutMs: 100,
    });
  });

  test('treats an option set to undefined as absent', () => {
    expect(resolveTransportOptions({ maxQueuedMessages: undefined })).toEqual(DEFAULTS);
  });

  test('accepts a maximum frame size of exactly 2^32 - 1', () => {
    expect(resolveTransportOptions({ maxFrameSize: 0xffff_ffff }).maxFrameSize).toBe(0xffff_ffff);
  });

  describe.each(OPTION_NAMES)('refuses a bad %s with a RangeError naming it', (name) => {
    test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('given %p', (value) => {
      // Every option is checked for positivity before the heartbeat pair is compared.
      const message = rangeErrorOf({ [name]: value });
      expect(message).toContain(name);
      expect(message).toContain(String(value));
    });

    test('given a value that is not a number', () => {
      expect(rangeErrorOf({ [name]: '100' as unknown as number })).toContain(name);
    });
  });

  test('refuses a maximum frame size over 32 bits', () => {
    const message = rangeErrorOf({ maxFrameSize: 0x1_0000_0000 });
    expect(message).toContain('maxFrameSize');
    expect(message).toContain('32 bits');
  });

  test.each([
    [1_000, 1_000],
    [1_000, 999],
    [20, 10],
  ])('refuses heartbeatTimeoutMs %i with heartbeatIntervalMs %i: the timeout must exceed the interval', (interval, timeout) => {
    const message = rangeErrorOf({ heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout });
    expect(message).toContain('heartbeatTimeoutMs');
    expect(message).toContain('heartbeatIntervalMs');
    expect(message).toContain(String(timeout));
    expect(message).toContain(String(interval));
  });

  test('refuses a heartbeat interval at or over the default timeout when only the interval is given', () => {
    expect(rangeErrorOf({ heartbeatIntervalMs: 10_000 })).toContain('heartbeatTimeoutMs');
  });

  test('accepts a heartbeat timeout just over the interval', () => {
    expect(resolveTransportOptions({ heartbeatIntervalMs: 20, heartbeatTimeoutMs: 21 })).toMatchObject({
      heartbeatIntervalMs: 20,
      heartbeatTimeoutMs: 21,
    });
  });
});
