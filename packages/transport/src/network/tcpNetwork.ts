import { connect as connectTcp, createServer, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Network, NetworkConnectOptions, NetworkListener, NetworkListenOptions } from './Network';

/** Binds `host:port` exclusively with a TCP server that hands its connections on. */
function listen({ host, port, onConnection, onError }: NetworkListenOptions): Promise<NetworkListener> {
  return new Promise<NetworkListener>((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', onError);
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : port,
        close: () => new Promise<void>((closed) => server.close(() => closed())),
      });
    });
  });
}

/** A TCP connection, or a TLS one with the host's name checked (SNI for host names). */
function connect({ host, port, tls }: NetworkConnectOptions): Socket {
  if (tls === undefined) return connectTcp({ host, port });
  return connectTls({
    host,
    port,
    secureContext: tls.secureContext,
    // SNI takes host names only; the certificate is checked against the host either way.
    ...(isIP(host) === 0 ? { servername: host } : {}),
  });
}

/** The machine's network: TCP sockets, and TLS over them. The default of every transport. */
export const tcpNetwork: Network = { name: 'TCP', supportsTls: true, listen, connect };
