/**
 * The remote scenarios and the server child they share: started once per run, killed at
 * the end (by the CLI's cleanup, even after an error).
 */
import { BenchChild } from '../proc/ChildProcess';
import type { Scenario } from '../scenario';
import { grpcScenario } from './grpc';
import { rawTcpScenario } from './rawTcp';
import { rpcAskScenario, rpcTellScenario } from './rpc';
import type { RemoteServerReady } from './server';

/** The in-flight counts of the remote closed-loop scenarios. */
export const REMOTE_IN_FLIGHT = [1, 100, 1_000] as const;

/** The remote server child and the scenarios that call it. */
export interface RemoteBench {
  readonly scenarios: readonly Scenario[];
  readonly server: BenchChild;
}

/** Starts the server child and returns the remote scenarios. */
export async function startRemoteBench(): Promise<RemoteBench> {
  const { child, ready } = await BenchChild.start('server', 'remote/server.js');
  const { rawTcpPort, grpcPort, rpcAddress } = ready as RemoteServerReady;
  const scenarios: Scenario[] = [];
  for (const inFlight of REMOTE_IN_FLIGHT) scenarios.push(rawTcpScenario(inFlight, rawTcpPort));
  for (const inFlight of REMOTE_IN_FLIGHT) scenarios.push(grpcScenario(inFlight, grpcPort));
  for (const inFlight of REMOTE_IN_FLIGHT) scenarios.push(rpcAskScenario(inFlight, rpcAddress));
  scenarios.push(rpcTellScenario(rpcAddress));
  return { scenarios, server: child };
}
