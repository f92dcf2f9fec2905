import { RpcBindError, RpcInvalidOptionError } from '@nact-rpc/core';
import type { ListenOptions } from '@nact-rpc/transport';
import { TcpTransport } from '@nact-rpc/transport/internal';
import { RecordingLogger } from '@nact-rpc/testing';
import { bindError } from '../src/bindError';
import { rejectionOf } from '@nact-rpc/testing';
import { occupyPort, type OccupiedPort } from '@nact-rpc/testing';
import { listeningHost } from './support/associationFixture';

/** Occupies `port` (0: any free port) on loopback until afterEach. */
async function occupy(port = 0): Promise<number> {
  const occupied = await occupyPort(port);
  occupiedPorts.push(occupied);
  return occupied.port;
}

const occupiedPorts: OccupiedPort[] = [];
const transports: TcpTransport[] = [];

function transport(): TcpTransport {
  const created = new TcpTransport(listeningHost(new RecordingLogger()));
  transports.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((created) => created.close()));
  await Promise.all(occupiedPorts.splice(0).map((occupied) => occupied.release()));
});

describe('TcpTransport.listen', () => {
  test('a port in use rejects with an RpcBindError naming the host and port, with the Node error as cause', async () => {
    const taken = await occupy();
    const listener = transport();
    const error = await rejectionOf(listener.listen({ port: taken }));
    expect(error).toBeInstanceOf(RpcBindError);
    expect(error).toMatchObject({ code: 'RPC_BIND', host: '127.0.0.1', port: taken });
    expect((error as RpcBindError).cause).toMatchObject({ code: 'EADDRINUSE' });
    expect((error as Error).message).toBe(
      `Could not listen on 127.0.0.1 port ${taken}: the port is in use (EADDRINUSE). ` +
        'Stop what uses it, or choose another port, a range or port 0.',
    );
    expect(listener.getBoundPort()).toBeUndefined();
  });

  test('a range whose every port is in use rejects with an RpcBindError naming the range', async () => {
    const first = await occupy();
    // The next port is in use either way: by this test, or already by someone else.
    await occupy(first + 1).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
    });
    const range = `${first}-${first + 1}`;
    const error = await rejectionOf(transport().listen({ port: range }));
    expect(error).toBeInstanceOf(RpcBindError);
    expect(error).toMatchObject({ code: 'RPC_BIND', host: '127.0.0.1', port: range });
    expect((error as RpcBindError).cause).toMatchObject({ code: 'EADDRINUSE' });
    expect((error as Error).message).toContain(
      `Could not listen on 127.0.0.1 ports ${range}: every port of the range is in use (EADDRINUSE)`,
    );
  });

  test('a host that is not an address of this machine rejects with an RpcBindError saying so', async () => {
    // 203.0.113.1 (TEST-NET-3, RFC 5737) is not an address of this machine; a bind sends nothing.
    const error = await rejectionOf(transport().listen({ host: '203.0.113.1', port: 0 }));
    expect(error).toBeInstanceOf(RpcBindError);
    expect((error as RpcBindError).cause).toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect((error as Error).message).toContain(
      'Could not listen on 203.0.113.1 port 0: 203.0.113.1 is not an address of this machine (EADDRNOTAVAIL)',
    );
  });

  test.each<[string, ListenOptions, string, string]>([
    ['listen options that are not an object', 'fast' as ListenOptions, 'listen', 'got the string "fast"'],
    ['an empty host', { host: '' }, 'listen.host', 'got the string ""'],
    ['a host that is not a string', { host: 127 as unknown as string }, 'listen.host', 'got 127'],
    ['a malformed port', { port: '50100-' }, 'listen.port', 'got the string "50100-"'],
    ['a port out of range', { port: 70_000 }, 'listen.port', 'got 70000'],
    ['an empty external host', { externalHost: ' ' }, 'listen.externalHost', 'got the string " "'],
    ['an external port of 0', { externalPort: 0 }, 'listen.externalPort', 'got 0'],
    [
      'an external port that is a string',
      { externalPort: '80' as unknown as number },
      'listen.externalPort',
      'got the string "80"',
    ],
  ])('%s rejects with an RpcInvalidOptionError naming the option', async (_, listen, option, shown) => {
    const listener = transport();
    const error = await rejectionOf(listener.listen(listen));
    expect(error).toBeInstanceOf(RpcInvalidOptionError);
    expect(error).toMatchObject({ code: 'RPC_INVALID_OPTION', option });
    expect((error as Error).message).toMatch(
      new RegExp(`^Invalid ${option.replace('.', '\\.')}: expected .+, ${shown}\\.$`),
    );
    expect(listener.getBoundPort()).toBeUndefined();
  });
});

describe('bindError', () => {
  const errno = (code: string, message = `listen ${code}`): NodeJS.ErrnoException =>
    Object.assign(new Error(message), { code });

  test('explains EACCES with the privileged ports, naming the port of a range that failed', () => {
    const error = bindError('0.0.0.0', '80-90', true, 80, errno('EACCES'));
    expect(error.message).toBe(
      'Could not listen on 0.0.0.0 ports 80-90: permission denied (EACCES) at port 80: ports below 1024 need privileges; ' +
        'choose a port from 1024 to 65535.',
    );
    expect(error).toMatchObject({ code: 'RPC_BIND', host: '0.0.0.0', port: '80-90' });
  });

  test('explains a host name that cannot be resolved', () => {
    expect(bindError('no-such-host.invalid', 0, false, 0, errno('ENOTFOUND')).message).toBe(
      'Could not listen on no-such-host.invalid port 0: the host name no-such-host.invalid could not be resolved (ENOTFOUND).',
    );
  });

  test('passes on the message of any other error, keeping it as the cause', () => {
    const cause = errno('EINVAL', 'listen EINVAL: invalid argument');
    const error = bindError('127.0.0.1', 5000, false, 5000, cause);
    expect(error.message).toBe('Could not listen on 127.0.0.1 port 5000: listen EINVAL: invalid argument.');
    expect(error.cause).toBe(cause);
  });
});
