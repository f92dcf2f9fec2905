/**
 * A ResourceManager process: serves a fenced ResourceManager endpoint, and contends for the
 * lease: while it holds it, it is the leader under the lease's session and renews it; while
 * another holds it, it is a standby that refuses every fenced call.
 */
import { isRpcError } from '@nact-rpc/core';
import type { ChildConfig } from '../events';
import { LeaseProtocol } from '../protocols';
import { Repeater } from '../Repeater';
import { ResourceManagerEndpoint } from '../ResourceManagerEndpoint';
import { runChild } from './childRuntime';

runChild<ChildConfig>(async ({ config, ledger, createService, send, line, fail }) => {
  const service = await createService(true);
  const endpoint = new ResourceManagerEndpoint(service, ledger);
  await endpoint.start();
  const address = endpoint.getAddress();
  send({ kind: 'ready', address });
  const lease = await service.connect(config.leaseAddress, LeaseProtocol);

  let session: string | undefined;
  let standby = false;
  const contend = async (): Promise<void> => {
    if (session === undefined) {
      const grant = await ledger.track(lease.acquire(config.name, address));
      if (grant === null) {
        if (!standby) line(`is a standby: another ResourceManager holds the lease`);
        standby = true;
        return;
      }
      await endpoint.grantLeadership(grant.session);
      session = grant.session;
      send({ kind: 'leader', session });
      line(`is the leader now, session ${session}: fenced calls must carry it`);
      return;
    }
    if (await ledger.track(lease.renew(config.name, session))) return;
    line(`lost the lease of session ${session}; back to standby`);
    session = undefined;
    await endpoint.revokeLeadership();
  };
  // Renews (or tries to acquire) four times per lease period of the lease service (1 s).
  const loop = new Repeater(250, async () => {
    try {
      await contend();
    } catch (error) {
      // The lease service did not answer: a leader that cannot renew must assume it lost the lease.
      if (!isRpcError(error)) throw error;
      line(`the lease service did not answer (${error.name})`);
      if (session !== undefined) {
        session = undefined;
        await endpoint.revokeLeadership();
      }
    }
  });
  loop.stopped().catch(fail);
  return { stop: () => loop.stop() };
});
