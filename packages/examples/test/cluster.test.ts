import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { isAlive, ProcessOutput } from './support/processOutput';

const main = join(__dirname, '..', 'dist', 'main.js');
const SUMMARY = /^summary: (\d+) calls, (\d+) stale-token calls refused, (\d+) other failures, (\d+) lost$/;

/** Starts the orchestrator (the built `npm start` program) with `args`. */
function startCluster(...args: string[]): {
  readonly output: ProcessOutput;
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
} {
  const orchestrator = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new ProcessOutput(orchestrator);
  return { output, pid: orchestrator.pid ?? -1, kill: (signal) => orchestrator.kill(signal) };
}

/** The pids of the cluster's processes, from the orchestrator's `started (pid N)` lines. */
function childPids(lines: readonly string[]): number[] {
  return lines.flatMap((line) => {
    const match = /started \(pid (\d+)\)/.exec(line);
    return match === null ? [] : [Number(match[1])];
  });
}

describe('the multi-process cluster of npm start', () => {
  test('fails over to the standby, refuses stale callers, completes the job, loses no call and leaves no process', async () => {
    const cluster = startCluster('--seconds', '3', '--task-executors', '3');
    try {
      const exit = await cluster.output.exit;
      const { lines, stderr } = cluster.output;
      expect({ exit, stderr }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
      expect(lines.some((line) => /cluster +failover: rm-2 leads under session s2-/.test(line))).toBe(true);
      expect(
        lines.filter((line) => /stale-token call refused by rm-2: FencingTokenError/.test(line)).length,
      ).toBeGreaterThan(0);
      expect(lines.filter((line) => / (te-\d|jm) +registered .*with rm-2/.test(line))).toHaveLength(4);
      expect(lines.some((line) => /job done: 180 tasks, \d+ primes below 90000 \(correct\)/.test(line))).toBe(true);
      const summary = SUMMARY.exec(lines.at(-1) ?? '');
      expect(summary).not.toBeNull();
      const [, calls, refused, , lost] = (summary ?? []).map(Number);
      expect(calls).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      expect(lost).toBe(0);
      const pids = childPids(lines);
      expect(pids).toHaveLength(6);
      expect(pids.filter(isAlive)).toEqual([]);
    } finally {
      cluster.kill('SIGKILL');
    }
  }, 40_000);

  test('SIGINT to the orchestrator stops every process and still ends with the summary', async () => {
    const cluster = startCluster('--seconds', '30', '--task-executors', '2');
    try {
      await cluster.output.line(/jm +registered job-1 with rm-1/);
      cluster.kill('SIGINT');
      const exit = await cluster.output.exit;
      const { lines } = cluster.output;
      expect(exit).toEqual({ code: 130, signal: null });
      expect(lines).toContainEqual(expect.stringMatching(/SIGINT: stopping every process/));
      expect(SUMMARY.exec(lines.at(-1) ?? '')?.[4]).toBe('0');
      const pids = childPids(lines);
      expect(pids).toHaveLength(5);
      expect(pids.filter(isAlive)).toEqual([]);
    } finally {
      cluster.kill('SIGKILL');
    }
  }, 30_000);

  test('when the orchestrator is killed, every process of the cluster exits', async () => {
    const cluster = startCluster('--seconds', '30', '--task-executors', '2');
    try {
      await cluster.output.line(/jm +registered job-1 with rm-1/);
      cluster.kill('SIGKILL');
      // The processes share the orchestrator's stdout: it closes when the last of them exits.
      const exit = await cluster.output.exit;
      expect(exit.signal).toBe('SIGKILL');
      expect(cluster.output.stderr.match(/: the orchestrator is gone; exiting\./g)).toHaveLength(5);
      const pids = childPids(cluster.output.lines);
      expect(pids).toHaveLength(5);
      expect(pids.filter(isAlive)).toEqual([]);
    } finally {
      cluster.kill('SIGKILL');
    }
  }, 30_000);
});
