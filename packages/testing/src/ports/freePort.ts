import { createServer, type AddressInfo } from 'node:net';

/**
 * A loopback port that was free a moment ago: bound to port 0 on 127.0.0.1, then released.
 * Another process may take it before the test binds it; where the test can, it should listen
 * on port 0 and read the port back instead (`service.getPort()`).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
