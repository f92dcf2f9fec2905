/**
 * The remote scenarios and the server child they share: started once per run, killed at
 * the end (by the CLI's cleanup, even after an error). The raw TCP echo is measured batched at
 * every in-flight count and, at {@link RAW_TCP_VARIANT_IN_FLIGHT}, naive and corked too; each
 * in-flight count's raw TCP, nact-rpc and gRPC scenarios run next to each other. The secured scenarios (raw TLS echo,
 * nact-rpc over mutual TLS, nact-rpc with a shared secret) come after the plaintext ones.
 */
import { BenchChild } from '../proc/ChildProcess';
import type { Scenario } from '../scenario';
import { rawBlobAskScenario, rawStreamScenario, rpcBlobAskScenario, rpcTellStreamScenario } from './bulk';
import { grpcScenario } from './grpc';
import { WRITE_MODES } from './frames';
import { rawTcpScenario } from './rawTcp';
import { rawTlsScenario } from './rawTls';
import { rpcAskScenario, rpcTellScenario } from './rpc';
import type { RemoteServerReady } from './server';

/** The in-flight counts of the remote closed-loop scenarios. */
export const REMOTE_IN_FLIGHT = [1, 100, 1_000] as const;

/** The in-flight counts at which every raw TCP write mode is measured (batched alone at the others). */
export const RAW_TCP_VARIANT_IN_FLIGHT = [1, 100, 1_000] as const;

/** The in-flight counts of the secured scenarios (TLS and its raw baseline, shared secret). */
export const SECURE_IN_FLIGHT = [100] as const;

/** The remote server child and the scenarios that call it. */
export interface RemoteBench {
  readonly scenarios: readonly Scenario[];
  readonly server: BenchChild;
}

/** Starts the server child and returns the remote scenarios. */
export async function startRemoteBench(): Promise<RemoteBench> {
  const { child, ready } = await BenchChild.start('server', 'remote/server.js');
  const { rawTcpPorts, grpcPort, rpcAddress, rawBulkPorts, blobAddress, secure } = ready as RemoteServerReady;
  const scenarios: Scenario[] = [];
  // Each in-flight count's scenarios run together, nact-rpc's between its raw TCP baselines and
  // gRPC: the ratios compare figures taken seconds apart, not a minute, on a host whose speed
  // drifts (odd rounds reverse the order, so each side of a pair goes first as often).
  for (const inFlight of REMOTE_IN_FLIGHT) {
    const variants: readonly number[] = RAW_TCP_VARIANT_IN_FLIGHT;
    const modes = variants.includes(inFlight) ? WRITE_MODES : (['batched'] as const);
    for (const mode of modes) scenarios.push(rawTcpScenario(inFlight, rawTcpPorts[mode], mode));
    scenarios.push(rpcAskScenario(inFlight, rpcAddress), grpcScenario(inFlight, grpcPort));
  }
  scenarios.push(rpcTellScenario(rpcAddress));
  const { rawTlsPort, tlsAddress, secretAddress, clientTls, sharedSecret } = secure;
  for (const inFlight of SECURE_IN_FLIGHT) {
    scenarios.push(rawTlsScenario(inFlight, rawTlsPort, clientTls));
    scenarios.push(rpcAskScenario(inFlight, tlsAddress, { prefix: 'remote_tls_ask', security: { tls: clientTls } }));
    scenarios.push(
      rpcAskScenario(inFlight, secretAddress, { prefix: 'remote_secret_ask', security: { sharedSecret } }),
    );
  }
  scenarios.push(rawBlobAskScenario(rawBulkPorts.echo), rpcBlobAskScenario(blobAddress));
  scenarios.push(rawStreamScenario(rawBulkPorts.stream), rpcTellStreamScenario(blobAddress));
  return { scenarios, server: child };
}
