import {
  formatRpcAddress,
  parseRpcAddress,
  RPC_SCHEME,
  RPC_TLS_SCHEME,
  RpcConnectionError,
  RpcError,
  type RpcAddress,
} from '@nact-rpc/core';
import { thrownBy } from '@nact-rpc/testing';

describe('RPC addresses', () => {
  test('use the nact-rpc scheme, and nact-rpcs for services that listen with TLS', () => {
    expect(RPC_SCHEME).toBe('nact-rpc');
    expect(RPC_TLS_SCHEME).toBe('nact-rpcs');
  });

  describe('TLS form', () => {
    test('parses the nact-rpcs scheme as a TLS address', () => {
      expect(parseRpcAddress('nact-rpcs://svc@host:123/ep')).toEqual({
        serviceName: 'svc',
        host: 'host',
        port: 123,
        tls: true,
        endpointId: 'ep',
      });
      expect(parseRpcAddress('nact-rpc://svc@host:123/ep').tls).toBeUndefined();
    });

    test.each(['nact-rpcs://svc@host:123/ep', 'nact-rpcs://svc@[::1]:6123/ep'])('round-trips %s', (address) => {
      expect(formatRpcAddress(parseRpcAddress(address))).toBe(address);
    });

    test('formats a TLS address with nact-rpcs, and tls: false as nact-rpc', () => {
      expect(formatRpcAddress({ serviceName: 's', host: 'h', port: 1, tls: true, endpointId: 'e' })).toBe(
        'nact-rpcs://s@h:1/e',
      );
      expect(formatRpcAddress({ serviceName: 's', host: 'h', port: 1, tls: false, endpointId: 'e' })).toBe(
        'nact-rpc://s@h:1/e',
      );
    });
  });

  describe('local form', () => {
    test('parses service name and endpoint id, without host or port', () => {
      const parsed = parseRpcAddress('nact-rpc://svc/ep');
      expect(parsed.serviceName).toBe('svc');
      expect(parsed.endpointId).toBe('ep');
      expect(parsed.host).toBeUndefined();
      expect(parsed.port).toBeUndefined();
    });

    test('formats an address without host', () => {
      expect(formatRpcAddress({ serviceName: 'svc', endpointId: 'ep' })).toBe('nact-rpc://svc/ep');
    });

    test.each(['nact-rpc://svc/ep', 'nact-rpc://my-service_1.a/0f8fad5b-d9cb-469f-a165-70867728950e'])(
      'round-trips %s',
      (address) => {
        expect(formatRpcAddress(parseRpcAddress(address))).toBe(address);
      },
    );
  });

  describe('remote form', () => {
    test('parses service name, host, port and endpoint id', () => {
      expect(parseRpcAddress('nact-rpc://svc@host:123/ep')).toEqual({
        serviceName: 'svc',
        host: 'host',
        port: 123,
        endpointId: 'ep',
      });
    });

    test('parses an IPv6 host without its brackets', () => {
      const parsed = parseRpcAddress('nact-rpc://svc@[::1]:6123/ep');
      expect(parsed.host).toBe('::1');
      expect(parsed.port).toBe(6123);
    });

    test('formats an IPv6 host in brackets', () => {
      const address: RpcAddress = { serviceName: 'svc', host: '::1', port: 6123, endpointId: 'ep' };
      expect(formatRpcAddress(address)).toBe('nact-rpc://svc@[::1]:6123/ep');
    });

    test('formats an IPv4 host and a port', () => {
      const address: RpcAddress = { serviceName: 'svc', host: '127.0.0.1', port: 0, endpointId: 'ep' };
      expect(formatRpcAddress(address)).toBe('nact-rpc://svc@127.0.0.1:0/ep');
    });

    test.each([
      'nact-rpc://svc@host:123/ep',
      'nact-rpc://svc@127.0.0.1:1/ep',
      'nact-rpc://svc@[::1]:123/ep',
      'nact-rpc://svc@[fe80::1:2]:65535/ep',
      'nact-rpc://jobmanager@node-1.example.org:6123/dispatcher',
    ])('round-trips %s', (address) => {
      expect(formatRpcAddress(parseRpcAddress(address))).toBe(address);
    });

    test('parse is the inverse of format', () => {
      const address: RpcAddress = { serviceName: 'svc', host: 'fe80::2', port: 80, endpointId: 'ep' };
      expect(parseRpcAddress(formatRpcAddress(address))).toEqual(address);
    });

    test('accepts the highest port, 65535', () => {
      expect(parseRpcAddress('nact-rpc://svc@host:65535/ep').port).toBe(65535);
    });
  });

  describe('malformed addresses', () => {
    test.each([
      ['a wrong scheme', 'http://svc/ep'],
      ['no scheme', 'svc/ep'],
      ['a missing endpoint id', 'nact-rpc://svc/'],
      ['a missing endpoint part', 'nact-rpc://svc'],
      ['a missing service name', 'nact-rpc:///ep'],
      ['a port above 65535', 'nact-rpc://svc@host:65536/ep'],
      ['a six-digit port', 'nact-rpc://svc@host:123456/ep'],
      ['a host without port', 'nact-rpc://svc@host/ep'],
      ['a port without host', 'nact-rpc://svc@:123/ep'],
      ['an unbracketed IPv6 host', 'nact-rpc://svc@::1:123/ep'],
      ['a bracketed host that is not IPv6', 'nact-rpc://svc@[not-ip]:123/ep'],
      ['a space in the endpoint id', 'nact-rpc://svc/e p'],
      ['a leading space', ' nact-rpc://svc/ep'],
      ['a trailing space', 'nact-rpc://svc/ep '],
      ['a path with two segments', 'nact-rpc://svc/ep/more'],
      ['an empty string', ''],
      ['a TLS address without host and port', 'nact-rpcs://svc/ep'],
      ['a doubled s in the scheme', 'nact-rpcss://svc@host:1/ep'],
    ])('with %s throw an RpcConnectionError naming the input', (_, address) => {
      const error = thrownBy(() => parseRpcAddress(address));
      expect(error).toBeInstanceOf(RpcConnectionError);
      expect(error).toBeInstanceOf(RpcError);
      expect((error as RpcConnectionError).code).toBe('RPC_CONNECTION');
      expect((error as RpcConnectionError).message).toContain(address === '' ? '""' : address);
      expect((error as RpcConnectionError).message).toContain('nact-rpc://<service>');
    });

    test.each([42, null, undefined, { serviceName: 'svc', endpointId: 'ep' }])(
      'that are not strings (%p) throw an RpcConnectionError naming the input',
      (address) => {
        const error = thrownBy(() => parseRpcAddress(address as unknown as string));
        expect(error).toBeInstanceOf(RpcConnectionError);
        const shown = typeof address === 'object' && address !== null ? JSON.stringify(address) : String(address);
        expect((error as RpcConnectionError).message).toContain(shown);
      },
    );
  });
});
