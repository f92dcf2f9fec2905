import { isLoopbackAddress } from '@nact-rpc/transport/internal';

describe('isLoopbackAddress', () => {
  test.each(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.0.0.2'])(
    '%s is loopback',
    (address) => expect(isLoopbackAddress(address)).toBe(true),
  );

  test.each([
    '192.0.2.2',
    '10.0.0.1',
    '128.0.0.1',
    '::ffff:192.0.2.2',
    'fd00::2',
    '::',
    '0.0.0.0',
    'localhost',
    '127.example.com',
    '',
  ])('%s is not', (address) => expect(isLoopbackAddress(address)).toBe(false));

  test('an unknown address (a socket not connected) is not', () => {
    expect(isLoopbackAddress(undefined)).toBe(false);
  });
});
