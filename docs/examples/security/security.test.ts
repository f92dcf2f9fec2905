import { readFileSync } from 'node:fs';
import { ask, defineProtocol, RpcConnectionError, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { rejectionOf } from '@nact-rpc/testing';
import { inDirectoryWithCertificates, withEnvironment } from '../support';
import { startJobsWithSecret, startJobsWithTls } from './security';
import { startTaskManager } from './wireProtocol';

const JobsProtocol = defineProtocol('JobsGateway', { ping: ask<[], string>() });

@serves(JobsProtocol)
class JobsEndpoint extends RpcEndpoint {
  ping(): string {
    return 'pong';
  }
}

const SECRET = 'thirty-two bytes of a random secret';

describe('docs/security.md', () => {
  test('a service with the shared secret answers a caller that has it, and refuses one that has not', async () => {
    // The service logs the refusal: keep it out of the test's output.
    const refusals = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await withEnvironment('NACT_RPC_SECRET', SECRET, async () => {
      const service = await startJobsWithSecret(0);
      const caller = new NactRpcService({ name: 'caller', security: { sharedSecret: SECRET } });
      const stranger = new NactRpcService({ name: 'stranger', askTimeoutMs: 2_000 });
      try {
        await new JobsEndpoint(service, 'jobs').start();
        const address = `nact-rpc://jobs@127.0.0.1:${service.getPort()}/jobs`;
        const jobs = await caller.connect(address, JobsProtocol);
        expect(await jobs.ping()).toBe('pong');
        expect(await rejectionOf(stranger.connect(address, JobsProtocol))).toBeInstanceOf(RpcConnectionError);
      } finally {
        await Promise.all([caller.closeAsync(), stranger.closeAsync()]);
        await service.closeAsync();
      }
    });
    expect(refusals.mock.calls.map(([message]) => String(message))).toContainEqual(
      expect.stringContaining('requires the shared secret'),
    );
    refusals.mockRestore();
  });

  test('a service with mutual TLS answers a caller whose certificate names it', async () => {
    await inDirectoryWithCertificates(['jobs', 'caller'], async () => {
      const service = await startJobsWithTls(0);
      const tls = { key: readFileSync('caller.key'), cert: readFileSync('caller.crt'), ca: readFileSync('ca.crt') };
      const caller = new NactRpcService({ name: 'caller', security: { tls } });
      try {
        const endpoint = new JobsEndpoint(service, 'jobs');
        await endpoint.start();
        expect(endpoint.getAddress()).toMatch(/^nact-rpcs:\/\/jobs@/);
        const jobs = await caller.connect(`nact-rpcs://jobs@127.0.0.1:${service.getPort()}/jobs`, JobsProtocol);
        expect(await jobs.ping()).toBe('pong');
      } finally {
        await caller.closeAsync();
        await service.closeAsync();
      }
    });
  });
});

describe('docs/wire-protocol.md', () => {
  test('a service listens on the first free port of a range and advertises its external host', async () => {
    const warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const service = await startTaskManager();
      try {
        const endpoint = new JobsEndpoint(service, 'jobs');
        expect(endpoint.getAddress()).toBe(`nact-rpc://taskmanager-7@tm7.cluster.local:${service.getPort()}/jobs`);
        expect(service.getPort()).toBeGreaterThanOrEqual(50100);
        expect(service.getPort()).toBeLessThanOrEqual(50200);
      } finally {
        await service.closeAsync();
      }
      // Without authentication, listening on every interface is warned about (docs/security.md).
      expect(warned.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringContaining('listens on 0.0.0.0'),
      ]);
    } finally {
      warned.mockRestore();
    }
  });
});
