import { RpcInvalidOptionError } from '@nact-rpc/core';
import type { TransportOptions } from '@nact-rpc/transport';
import { resolveTransportOptions } from '@nact-rpc/transport/internal';

const DEFAULTS = {
  maxFrameSize: 10 * 1024 * 1024,
  connectTimeoutMs: 5_000,
  frameTimeoutMs: 30_000,
  heartbeatIntervalMs: 5_000,
  heartbeatTimeoutMs: 10_000,
  probeIntervalMs: 1_000,
  probeTimeoutMs: 3_000,
  reconnectBackoffMs: 100,
  maxReconnectBackoffMs: 5_000,
  maxQueuedMessages: 10_000,
  maxOutputBytes: 32 * 1024 * 1024,
  maxInboundBacklog: 10_000,
  maxConnections: 1_024,
  maxUnauthenticatedConnections: 128,
};

type OptionName = keyof TransportOptions;
const OPTION_NAMES = Object.keys(DEFAULTS) as OptionName[];

/** Resolves `options`, expecting an RpcInvalidOptionError for `option`; returns its message. */
function refusal(options: TransportOptions, option: string): string {
  let thrown: unknown;
  try {
    resolveTransportOptions(options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RpcInvalidOptionError);
  expect(thrown).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
  return (thrown as RpcInvalidOptionError).message;
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
      // Probes are never slower than the idle pace.
      probeIntervalMs: 20,
      probeTimeoutMs: 100,
    });
  });

  test('probes default to 1 s and 3 s, and must time out after their interval', () => {
    expect(resolveTransportOptions({ probeIntervalMs: 500, probeTimeoutMs: 1_500 })).toMatchObject({
      probeIntervalMs: 500,
      probeTimeoutMs: 1_500,
    });
    expect(refusal({ probeIntervalMs: 2_000, probeTimeoutMs: 2_000 }, 'transport.probeTimeoutMs')).toContain(
      'more than transport.probeIntervalMs (2000)',
    );
    expect(refusal({ probeIntervalMs: 3_000 }, 'transport.probeIntervalMs')).toContain(
      'less than transport.probeTimeoutMs (3000, the default; set both)',
    );
  });

  test('defaults the heartbeat interval to half the timeout, the default timeout or the one given', () => {
    expect(resolveTransportOptions({ heartbeatTimeoutMs: 3_000 })).toMatchObject({
      heartbeatIntervalMs: 1_500,
      heartbeatTimeoutMs: 3_000,
    });
    expect(resolveTransportOptions({ heartbeatIntervalMs: 200 })).toMatchObject({
      heartbeatIntervalMs: 200,
      heartbeatTimeoutMs: 10_000,
    });
  });

  test('treats an option set to undefined as absent', () => {
    expect(resolveTransportOptions({ maxQueuedMessages: undefined })).toEqual(DEFAULTS);
  });

  test('accepts a maximum frame size of exactly 2^32 - 1', () => {
    expect(resolveTransportOptions({ maxFrameSize: 0xffff_ffff }).maxFrameSize).toBe(0xffff_ffff);
  });

  describe.each(OPTION_NAMES)('refuses a bad %s with an RpcInvalidOptionError naming it', (name) => {
    test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('given %p', (value) => {
      // Every option is checked for positivity before the heartbeat pair is compared.
      const message = refusal({ [name]: value }, `transport.${name}`);
      expect(message).toMatch(new RegExp(`^Invalid transport\\.${name}: expected a (positive|whole number)`));
      expect(message).toContain(`got ${String(value)}.`);
    });

    test('given a value that is not a number', () => {
      expect(refusal({ [name]: '100' as unknown as number }, `transport.${name}`)).toContain('got the string "100"');
    });
  });

  test('refuses a maximum frame size over 32 bits', () => {
    const message = refusal({ maxFrameSize: 0x1_0000_0000 }, 'transport.maxFrameSize');
    expect(message).toContain('from 1 to 4294967295');
    expect(message).toContain('got 4294967296');
  });

  test.each([
    ['maxFrameSize', 1024.5],
    ['maxQueuedMessages', 2.5],
  ] as const)('refuses a %s that is not a whole number', (name, value) => {
    expect(refusal({ [name]: value }, `transport.${name}`)).toContain(`got ${value}`);
  });

  test.each([null, 'fast', 42, [1]])('refuses transport options that are not an object: %p', (options) => {
    expect(refusal(options as unknown as TransportOptions, 'transport')).toContain(
      'expected an object of transport options',
    );
  });

  test.each([
    [1_000, 1_000],
    [1_000, 999],
    [20, 10],
  ])(
    'refuses heartbeatTimeoutMs %i with heartbeatIntervalMs %i: the timeout must exceed the interval',
    (interval, timeout) => {
      const message = refusal(
        { heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout },
        'transport.heartbeatTimeoutMs',
      );
      expect(message).toBe(
        `Invalid transport.heartbeatTimeoutMs: expected more than transport.heartbeatIntervalMs (${interval}), got ${timeout}.`,
      );
    },
  );

  test('refuses a heartbeat interval at or over the default timeout when only the interval is given, naming the interval', () => {
    const message = refusal({ heartbeatIntervalMs: 10_000 }, 'transport.heartbeatIntervalMs');
    expect(message).toContain(
      'expected less than transport.heartbeatTimeoutMs (10000, the default; set both), got 10000',
    );
  });

  test('defaults maxOutputBytes to twice a large maxFrameSize, and refuses one below maxFrameSize', () => {
    expect(resolveTransportOptions({ maxFrameSize: 64 * 1024 * 1024 }).maxOutputBytes).toBe(128 * 1024 * 1024);
    expect(resolveTransportOptions({ maxFrameSize: 1024, maxOutputBytes: 1024 }).maxOutputBytes).toBe(1024);
    expect(refusal({ maxFrameSize: 4096, maxOutputBytes: 4095 }, 'transport.maxOutputBytes')).toBe(
      'Invalid transport.maxOutputBytes: expected at least transport.maxFrameSize (4096), got 4095.',
    );
  });

  test('accepts a heartbeat timeout just over the interval', () => {
    expect(resolveTransportOptions({ heartbeatIntervalMs: 20, heartbeatTimeoutMs: 21 })).toMatchObject({
      heartbeatIntervalMs: 20,
      heartbeatTimeoutMs: 21,
    });
  });
});
