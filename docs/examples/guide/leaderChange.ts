// docs/guide.md, "Fencing": a leader change, seen by a caller of the former leader's session.
import { FencingTokenError } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { DispatcherEndpoint, DispatcherProtocol } from '../concepts/fencing';

/** Runs a leader change; answers one line per call: its result, or the error that refused it. */
export async function leaderChange(): Promise<string[]> {
  const lines: string[] = [];
  // #region leaderChange
  const service = new NactRpcService({ name: 'cluster' });
  const dispatcher = new DispatcherEndpoint(service, 'dispatcher'); // no token: not the leader yet
  await dispatcher.start();
  await dispatcher.grantLeadership('session-1'); // what leader election calls

  const caller = await service.connect(dispatcher.getAddress(), DispatcherProtocol, { fencingToken: 'session-1' });
  lines.push(`job ${await caller.submitJob('a')}`); // "job 1"

  await dispatcher.grantLeadership('session-2'); // a leader change
  try {
    await caller.submitJob('b'); // carries session-1: refused, never runs
  } catch (error) {
    if (!(error instanceof FencingTokenError)) throw error;
    lines.push(`refused: ${error.code}`); // "refused: FENCING_TOKEN"
  }
  const current = await service.connect(dispatcher.getAddress(), DispatcherProtocol, { fencingToken: 'session-2' });
  lines.push(`job ${await current.submitJob('b')}`); // "job 2"
  await service.closeAsync();
  // #endregion leaderChange
  return lines;
}
