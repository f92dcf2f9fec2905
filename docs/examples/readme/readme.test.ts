import { hostname } from 'node:os';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { deferred } from '@nact-rpc/testing';
import { inDirectoryWithCertificates, printedBy, withEnvironment } from '../support';
import { callHello, serveHello } from './acrossProcesses';
import { HelloEndpoint, HelloProtocol } from './hello';
import { startCaller, startGreeter } from './tls';

describe('README.md', () => {
  test('the quick start prints hello and hi, then closes its service', async () => {
    // The quick start runs main() when it is loaded: wait for the service it closes.
    const closed = deferred<void>();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its service as `this`
    const realCloseAsync = NactRpcService.prototype.closeAsync;
    const closeAsync = jest.spyOn(NactRpcService.prototype, 'closeAsync').mockImplementation(function (
      this: NactRpcService,
    ) {
      const closing = realCloseAsync.call(this);
      closing.then(
        () => closed.resolve(),
        (error: unknown) => closed.reject(error),
      );
      return closing;
    });
    const failed = jest.spyOn(console, 'error').mockImplementation((error: unknown) => closed.reject(error));
    try {
      const printed = await printedBy(async () => {
        jest.requireActual('./quickStart');
        await closed.promise;
      });
      expect(printed).toEqual(['hello', 'hi']);
      expect(process.exitCode).toBeUndefined();
    } finally {
      closeAsync.mockRestore();
      failed.mockRestore();
    }
  });

  test('across processes: one service serves Hello on a TCP port, another calls it by address', async () => {
    const server = await serveHello(0);
    try {
      const address = `nact-rpc://greeter@127.0.0.1:${server.getPort()}/hello`;
      expect(await printedBy(() => callHello(address))).toEqual(['hello']);
    } finally {
      await server.closeAsync();
    }
  });

  test('TLS and a shared secret: the caller, configured the same way, calls the greeter', async () => {
    const answer = await inDirectoryWithCertificates(['greeter', 'caller'], () =>
      withEnvironment('NACT_RPC_SECRET', 'a secret of at least sixteen bytes', async () => {
        const server = await startGreeter(0);
        const client = startCaller();
        try {
          const endpoint = new HelloEndpoint(server, 'hello');
          await endpoint.start();
          // Listening on every interface, the greeter advertises the machine's host name.
          expect(endpoint.getAddress()).toBe(`nact-rpcs://greeter@${hostname()}:${server.getPort()}/hello`);
          const hello = await client.connect(`nact-rpcs://greeter@127.0.0.1:${server.getPort()}/hello`, HelloProtocol);
          return await hello.hello();
        } finally {
          await client.closeAsync();
          await server.closeAsync();
        }
      }),
    );
    expect(answer).toBe('hello');
  });
});
