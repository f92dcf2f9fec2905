import { NactRpcService } from '@nact-rpc/runtime-nact';
import { HelloEndpoint, HelloProtocol } from '../readme/hello';
import { printedBy } from '../support';
import { main } from './runtimeNact';
import { listeningService } from './transport';

describe("the packages' READMEs", () => {
  test('@nact-rpc/core: the Hello endpoint answers through its own gateway', async () => {
    const service = new NactRpcService();
    try {
      const endpoint = new HelloEndpoint(service);
      await endpoint.start();
      expect(await endpoint.getSelfGateway(HelloProtocol).hello()).toBe('hello');
    } finally {
      await service.closeAsync();
    }
  });

  test('@nact-rpc/runtime-nact: main starts the endpoint, calls it, and closes the service', async () => {
    expect(await printedBy(main)).toEqual(['hello']);
  });

  test('@nact-rpc/transport: the option types configure a listening service', async () => {
    // Listening on every interface without authentication is allowed, and warned about.
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const service = await listeningService();
      try {
        expect(service.getPort()).toBeGreaterThanOrEqual(50100);
        expect(service.getPort()).toBeLessThanOrEqual(50200);
      } finally {
        await service.closeAsync();
      }
      expect(warned.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringContaining('without authentication'),
      ]);
    } finally {
      warned.mockRestore();
    }
  });
});
