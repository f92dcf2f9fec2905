import { createServer, type AddressInfo } from 'node:net';

/** A loopback port held by a server of the test, so that binding it fails with EADDRINUSE. */
export interface OccupiedPort {
  /** The port held. */
  readonly port: number;
  /** Closes the server and so frees the port. */
  release(): Promise<void>;
}

/**
 * Binds a server to `port` (0: any free port) on 127.0.0.1 and keeps it bound until
 * `release()`: for testing what a service does when its port is taken. Rejects with Node's
 * error (e.g. EADDRINUSE) if the port cannot be bound.
 */
export async function occupyPort(port = 0): Promise<OccupiedPort> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
