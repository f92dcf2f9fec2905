import { ClusterInterruptedError, ClusterRunError } from '../errors';
import { countPrimes } from '../primes';
import type { Cluster } from './Cluster';
import type { ClusterOptions } from './ClusterOptions';
import { describeExit, type ClusterProcess } from './ClusterProcess';
import type { Printer } from './Printer';

const ROUND_MS = 100;
const RANGE_SIZE = 500;
const SLOTS_PER_TASK_EXECUTOR = 2;

/**
 * Runs the cluster: the lease service (here), two ResourceManagers, the TaskExecutors and the
 * JobMaster (each a process); kills the leader halfway through the job; waits for the
 * failover, the registrations with the new leader and the job's end; stops every process and
 * prints the summary. Answers the exit code: 0, 1 if something went wrong, 130 if interrupted.
 */
export async function runCluster(cluster: Cluster, options: ClusterOptions, printer: Printer): Promise<number> {
  let code = 0;
  const deadlineMs = (options.seconds * 2 + 40) * 1000;
  const deadline = setTimeout(
    () => cluster.abort(new ClusterRunError(`the run did not end within ${deadlineMs / 1000} s`)),
    deadlineMs,
  );
  try {
    await drive(cluster, options, printer);
  } catch (error) {
    code = error instanceof ClusterInterruptedError ? 130 : 1;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    printer.line('cluster', `${code === 130 ? 'stopping' : 'the run failed'}: ${reason}`);
  } finally {
    clearTimeout(deadline);
  }
  try {
    await cluster.stopAll();
  } catch (error) {
    code = code || 1;
    printer.line('cluster', `stopping failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const exits = await Promise.all(
    cluster.processes.map(async (process) => `${process.name} ${describeExit(await process.exited)}`),
  );
  printer.line('cluster', `all ${cluster.processes.length} processes exited: ${exits.join(', ')}`);
  const summary = cluster.summary();
  if (summary.lost > 0 || summary.unreported.length > 0) code = code || 1;
  printer.plain(cluster.summaryLine());
  return code;
}

async function drive(cluster: Cluster, options: ClusterOptions, printer: Printer): Promise<void> {
  const say = (text: string): void => printer.line('cluster', text);
  say(
    `${options.taskExecutors} TaskExecutors, a job of about ${options.seconds} s; ` +
      `every process on 127.0.0.1, authenticated by a shared secret of 32 random bytes made for this run`,
  );
  const leaseAddress = await cluster.startLeaseService();
  printer.line('lease', `lease service at ${leaseAddress} (in the orchestrator, pid ${process.pid})`);

  const rm1 = await cluster.startResourceManager('rm-1');
  const firstLeader = await cluster.until(rm1.waitFor('leader'));
  const rm2 = await cluster.startResourceManager('rm-2');
  const resourceManagers = await Promise.all([rm1, rm2].map(async (rm) => (await rm.waitFor('ready')).address));

  const taskExecutors = await Promise.all(
    Array.from({ length: options.taskExecutors }, (_, index) =>
      cluster.startTaskExecutor(`te-${index + 1}`, resourceManagers),
    ),
  );
  await cluster.until(Promise.all(taskExecutors.map((te) => te.waitFor('registered'))));

  const parallelism = options.taskExecutors * SLOTS_PER_TASK_EXECUTOR;
  const tasks = Math.round((options.seconds * 1000) / ROUND_MS) * parallelism;
  const job = { jobId: 'job-1', tasks, rangeSize: RANGE_SIZE, parallelism, roundMs: ROUND_MS };
  const jm = await cluster.startJobMaster(job, resourceManagers);
  await cluster.until(jm.waitFor('registered'));

  await cluster.until(jm.waitFor('progress', (event) => 2 * event.done >= event.total));
  say(`killing the leader rm-1 (pid ${rm1.pid}, session ${firstLeader.session}) with SIGKILL, halfway through the job`);
  say(`rm-1 exited (${describeExit(await cluster.kill(rm1))})`);

  const newLeader = await cluster.until(rm2.waitFor('leader'));
  say(`failover: rm-2 leads under session ${newLeader.session} (was ${firstLeader.session})`);
  const callers: ClusterProcess[] = [...taskExecutors, jm];
  await cluster.until(
    Promise.all(callers.map((caller) => caller.waitFor('registered', (event) => event.session === newLeader.session))),
  );
  say(`every TaskExecutor and the JobMaster registered with rm-2`);

  const done = await cluster.until(jm.waitFor('job-done'));
  const expected = countPrimes(0, tasks * RANGE_SIZE);
  const verdict = done.result === expected ? 'correct' : `wrong: expected ${expected}`;
  say(`job done: ${done.tasks} tasks, ${done.result} primes below ${tasks * RANGE_SIZE} (${verdict})`);
  if (done.result !== expected || done.tasks !== tasks) throw new ClusterRunError(`the job's result is ${verdict}`);
}
