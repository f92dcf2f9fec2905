/**
 * `npm start`: runs a small cluster, each component in a process of its own on 127.0.0.1: a
 * lease service (in this process), a leading and a standby ResourceManager, TaskExecutors and a
 * JobMaster. Halfway through the job it kills the leader; the standby takes over under a new
 * session, stale callers are refused, and the job completes. See packages/examples/README.md.
 *
 * Options: `npm start -- --task-executors 5 --seconds 20`.
 */
import { ClusterInterruptedError, ClusterUsageError } from './cluster/errors';
import { Cluster } from './cluster/orchestrator/Cluster';
import { parseClusterOptions, USAGE } from './cluster/orchestrator/ClusterOptions';
import { Printer } from './cluster/orchestrator/Printer';
import { runCluster } from './cluster/orchestrator/runCluster';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let options;
  try {
    options = parseClusterOptions(args);
  } catch (error) {
    if (!(error instanceof ClusterUsageError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  const printer = new Printer();
  const cluster = new Cluster(printer);
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      printer.line('cluster', `${signal}: stopping every process (again to kill them at once)`);
      cluster.abort(new ClusterInterruptedError(`interrupted by ${signal}`));
    } else {
      printer.line('cluster', `${signal} again: killing every process`);
      cluster.killAll();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.exitCode = await runCluster(cluster, options, printer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
