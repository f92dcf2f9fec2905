import {
  ask,
  defineProtocol,
  RecipientUnreachableError,
  RpcConnectionError,
  RpcEndpoint,
  RpcTimeoutError,
  serves,
} from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import {
  rejectionOf,
  simulate,
  SimulatedNetwork,
  SeededRandom,
  thrownBy,
  VirtualClock,
  type Simulation,
} from '@nact-rpc/testing';
import { TestCertificateAuthority } from '../../../../test/support/certificates';

const Clerk = defineProtocol('Clerk', {
  stamp: ask<[text: string], string>(),
  slowStamp: ask<[text: string, takesMs: number], string>(),
});

@serves(Clerk)
class ClerkEndpoint extends RpcEndpoint {
  stamp(text: string): string {
    return `${text} (stamped by ${this.getRpcService().getAddress()})`;
  }
  slowStamp(text: string, takesMs: number): Promise<string> {
    return new Promise((resolve) =>
      this.getRpcService()
        .getClock()
        .setTimeout(() => resolve(this.stamp(text)), takesMs),
    );
  }
}

const TRANSPORT = { heartbeatIntervalMs: 500, heartbeatTimeoutMs: 2_000, connectTimeoutMs: 1_000 };

/**
 * Calls until a call is answered, 100 ms apart: after a connection to the peer was lost, calls
 * may fail at once with `RecipientUnreachableError` until a connection opens again (each lets
 * an attempt run). Any other failure, or no answer in ten calls, fails the test.
 */
async function answeredSoon<T>(sim: Simulation, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await sim.run(call()).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if ('value' in outcome) return outcome.value;
    if (!(outcome.error instanceof RecipientUnreachableError) || attempt === 10) throw outcome.error;
    await sim.advance(100);
  }
}

describe('services on the simulated network', () => {
  test('call each other across hosts; a partition past the heartbeat timeout fails the asks in flight, and calls go through once it heals', async () => {
    await simulate({ seed: 11 }, async (sim) => {
      const office = await sim.startService('office', { transport: TRANSPORT });
      const branch = await sim.startService('branch', { transport: TRANSPORT, askTimeoutMs: 60_000 });
      const clerk = new ClerkEndpoint(office, 'clerk');
      await clerk.start();
      const gateway = await sim.run(branch.connect(clerk.getAddress(), Clerk));
      expect(await sim.run(gateway.stamp('form 1'))).toBe('form 1 (stamped by office)');

      sim.network.partition(['branch'], ['office']);
      const stranded = gateway.stamp('form 2');
      const failure = await rejectionOf(sim.run(stranded));
      expect(failure).toBeInstanceOf(RecipientUnreachableError);
      expect(sim.clock.now()).toBeGreaterThanOrEqual(TRANSPORT.heartbeatTimeoutMs);

      sim.network.heal();
      expect(await answeredSoon(sim, () => gateway.stamp('form 3'))).toBe('form 3 (stamped by office)');
      expect(branch.pendingCallCounts()).toEqual({ waiting: 0, reserved: 0, served: 0 });
    });
  });

  test('reach a crashed service again once it restarts at the same address', async () => {
    const { trace } = await simulate({ seed: 12 }, async (sim) => {
      const office = await sim.startService('office', { transport: TRANSPORT });
      const branch = await sim.startService('branch', { transport: TRANSPORT });
      await new ClerkEndpoint(office, 'clerk').start();
      const address = 'nact-rpc://office@office:7000/clerk';
      const gateway = await sim.run(branch.connect(address, Clerk));
      expect(await sim.run(gateway.stamp('before'))).toContain('before');

      sim.crash('office');
      expect(sim.service('office')).toBeUndefined();
      // Sent on the connection the branch still holds: it fails once the reset arrives.
      await expect(sim.run(gateway.stamp('while down'))).rejects.toBeInstanceOf(RecipientUnreachableError);
      // Now the host is down: the call fails at once, or once its connect times out.
      const stillDown = await rejectionOf(sim.run(gateway.stamp('still down')));
      expect(stillDown instanceof RecipientUnreachableError || stillDown instanceof RpcConnectionError).toBe(true);

      const restarted = await sim.restart('office', { transport: TRANSPORT });
      await new ClerkEndpoint(restarted, 'clerk').start();
      expect(await answeredSoon(sim, () => gateway.stamp('after'))).toBe('after (stamped by office)');
    });
    expect(trace).toEqual(
      expect.arrayContaining([expect.stringMatching(/ crash office$/), expect.stringMatching(/ restart office$/)]),
    );
  });

  test('an ask that times out while its connection stays up is answered late, and its id is released then', async () => {
    await simulate({ seed: 13 }, async (sim) => {
      const office = await sim.startService('office');
      const branch = await sim.startService('branch', { askTimeoutMs: 1_000 });
      const clerk = new ClerkEndpoint(office, 'clerk');
      await clerk.start();
      const gateway = await sim.run(branch.connect(clerk.getAddress(), Clerk));
      await expect(sim.run(gateway.slowStamp('late', 3_000))).rejects.toBeInstanceOf(RpcTimeoutError);
      expect(branch.pendingCallCounts()).toEqual({ waiting: 0, reserved: 1, served: 0 });
      await sim.advance(3_000);
      expect(branch.pendingCallCounts()).toEqual({ waiting: 0, reserved: 0, served: 0 });
    });
  });

  test('refuse TLS: a service configured with it, and a call to a nact-rpcs:// address', async () => {
    const ca = await TestCertificateAuthority.create();
    const tls = await ca.issue('office');
    const network = new SimulatedNetwork({ clock: new VirtualClock(), random: new SeededRandom(1) });
    const refused = thrownBy(() => new NactRpcService({ network: network.host('office'), security: { tls } }));
    expect(refused).toMatchObject({ code: 'RPC_INVALID_OPTION', option: 'security.tls' });
    expect((refused as Error).message).toBe(
      'Invalid security.tls: the simulated network (host office) carries no TLS; configure no TLS on it.',
    );

    await simulate({ seed: 14 }, async (sim) => {
      const branch = await sim.startService('branch');
      const failure = await rejectionOf(sim.run(branch.connect('nact-rpcs://office@office:7000/clerk', Clerk)));
      expect(failure).toBeInstanceOf(RpcConnectionError);
      expect((failure as Error).message).toContain('the simulated network carries no TLS');
    });
  });

  test('a service closed while one of its connections opens leaves no connection open', async () => {
    await simulate({ seed: 15, latencyMs: { min: 50, max: 50 }, spikeChance: 0 }, async (sim) => {
      const office = await sim.startService('office');
      const branch = await sim.startService('branch');
      await new ClerkEndpoint(office, 'clerk').start();
      const connecting = rejectionOf(branch.connect('nact-rpc://office@office:7000/clerk', Clerk));
      await sim.advance(10);
      expect(sim.network.openSocketCount()).toBe(1);
      await sim.run(branch.closeAsync());
      expect(await connecting).toBeInstanceOf(RpcConnectionError);
      // The connect still arrives, and the office accepts it: the branch must not keep it.
      await sim.advance(60_000);
      expect(sim.network.openSocketCount()).toBe(0);
    });
  });
});
