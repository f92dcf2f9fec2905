import { ask, defineProtocol, FencingTokenError, RpcEndpoint, serves } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { Money, QuotaExceededError, rejectionOf } from '@nact-rpc/testing';
import { billingAndClient } from './codecs';
import { DispatcherProtocol, leaderAndCaller } from './fencing';
import { JobManager, JobProtocol, submitAndCancel } from './jobs';
import { serviceLoggingToPino } from './logging';
import { RegistryProtocol, RegistryEndpoint, WorkerEndpoint, WorkerProtocol } from './mainThread';

describe('docs/concepts.md', () => {
  let service: NactRpcService;
  beforeEach(() => {
    service = new NactRpcService({ name: 'concepts' });
  });
  afterEach(() => service.closeAsync());

  test('a job manager serves the job protocol; a tell returns at once and runs after the ask', async () => {
    const history = { lookup: (id: string) => Promise.resolve(id === 'nightly-0' ? ('finished' as const) : undefined) };
    const manager = new JobManager(service, history);
    await manager.start();
    const id = await submitAndCancel(service, manager.getAddress(), { name: 'report' });
    expect(id).toBe('report-1');
    const jobs = await service.connect(manager.getAddress(), JobProtocol);
    expect(await jobs.status(id)).toBe('cancelled');
    expect(await jobs.status('nightly-0', 1_000)).toBe('finished');
    expect(await jobs.status('other')).toBe('unknown');
  });

  test('registerWorker connects outside the main thread and records the worker back in it', async () => {
    const registry = new RegistryEndpoint(service, 'registry');
    const workers = [new WorkerEndpoint(service, 'worker-a'), new WorkerEndpoint(service, 'worker-b')];
    await Promise.all([registry.start(), ...workers.map((worker) => worker.start())]);
    const gateway = await service.connect(registry.getAddress(), RegistryProtocol);
    const sizes = await Promise.all(
      workers.map((worker) => gateway.registerWorker(worker.getEndpointId(), worker.getAddress())),
    );
    expect(sizes.sort()).toEqual([1, 2]);
    const pong = await registry.workers.get('worker-b')?.ping();
    expect(pong).toBe('pong from worker-b');
    expect(WorkerProtocol.name).toBe('WorkerGateway');
  });

  test('a fenced endpoint runs the calls of its token, and refuses them after a leader change', async () => {
    const address = `nact-rpc://concepts/dispatcher`;
    const { leader, dispatcher } = await leaderAndCaller(service, address, 'session-1');
    expect(leader.getAddress()).toBe(address);
    await leader.start();
    expect(await dispatcher.submitJob('first')).toBe(1);

    await leader.grantLeadership('session-2');
    expect(await rejectionOf(dispatcher.submitJob('stale'))).toBeInstanceOf(FencingTokenError);
    const current = await service.connect(address, DispatcherProtocol, { fencingToken: 'session-2' });
    expect(await current.submitJob('second')).toBe(2);
    expect(leader.jobs).toEqual(['first', 'second']);
  });

  test('a service logs through a pino logger given as it is', async () => {
    const HelloProtocol = defineProtocol('HelloGateway', { hello: ask<[], string>() });
    @serves(HelloProtocol)
    class HelloEndpoint extends RpcEndpoint {
      hello(): string {
        return 'hello';
      }
    }
    try {
      const endpoint = new HelloEndpoint(serviceLoggingToPino);
      await endpoint.start();
      expect(await endpoint.getSelfGateway(HelloProtocol).hello()).toBe('hello');
      expect(serviceLoggingToPino.getLogger()).toBeDefined();
    } finally {
      await serviceLoggingToPino.closeAsync();
    }
  });

  test('services with the same codec and classes pass registered values and errors across TCP', async () => {
    const BillingProtocol = defineProtocol('BillingGateway', { charge: ask<[amount: Money], Money>() });
    @serves(BillingProtocol)
    class BillingEndpoint extends RpcEndpoint {
      charge(amount: Money): Money {
        if (Number(amount.amount) > 100) throw new QuotaExceededError('over the quota', 100);
        return new Money(Number(amount.amount) + 1, amount.currency);
      }
    }
    const { billing, client } = await billingAndClient();
    try {
      const endpoint = new BillingEndpoint(billing, 'billing');
      await endpoint.start();
      const gateway = await client.connect(endpoint.getAddress(), BillingProtocol);
      const charged = await gateway.charge(new Money(10, 'EUR'));
      expect(charged).toBeInstanceOf(Money);
      expect(charged.format()).toBe('11 EUR');
      const refused = await rejectionOf(gateway.charge(new Money(500, 'EUR')));
      expect(refused).toBeInstanceOf(QuotaExceededError);
      expect((refused as QuotaExceededError).limit).toBe(100);
    } finally {
      await client.closeAsync();
      await billing.closeAsync();
    }
  });
});
