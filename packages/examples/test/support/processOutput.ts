import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/**
 * The lines a child process writes to stdout, as they come: `line(pattern)` settles with the
 * first line (already written or still to come) that matches, and rejects if the process
 * exits first; `exit` settles with its exit code or signal.
 */
export class ProcessOutput {
  /** Every complete line so far. */
  readonly lines: string[] = [];
  /** What the process wrote to stderr, if it is a pipe (shown when a test fails). */
  stderr = '';
  /**
   * Settles when the process has exited and its stdout is closed: by every process that
   * inherited it too.
   */
  readonly exit: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  private partial = '';
  private exited = false;
  private readonly waiters = new Set<{
    pattern: RegExp;
    resolve: (match: RegExpExecArray) => void;
    reject: (error: Error) => void;
  }>();

  constructor(child: ChildProcess) {
    if (child.stdout === null) throw new TypeError('ProcessOutput needs a process whose stdout is a pipe');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      for (const line of parts) this.add(line);
    });
    this.exit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        if (this.partial !== '') this.add(this.partial);
        this.exited = true;
        for (const waiter of this.waiters)
          waiter.reject(new Error(`the process exited before a line matched ${waiter.pattern}`));
        this.waiters.clear();
        resolve({ code, signal });
      });
    });
  }

  /** The first line that matches `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray> {
    for (const line of this.lines) {
      const match = pattern.exec(line);
      if (match !== null) return Promise.resolve(match);
    }
    if (this.exited) return Promise.reject(new Error(`the process exited before a line matched ${pattern}`));
    return new Promise((resolve, reject) => this.waiters.add({ pattern, resolve, reject }));
  }

  private add(line: string): void {
    this.lines.push(line);
    for (const waiter of this.waiters) {
      const match = waiter.pattern.exec(line);
      if (match === null) continue;
      this.waiters.delete(waiter);
      waiter.resolve(match);
    }
  }
}

/**
 * Whether a process with this id still runs. One that exited but is not reaped yet (a zombie,
 * whose parent died before reaping it) does not run.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  // The state follows the command name in parentheses: "1234 (node) Z ...".
  return !/\) Z /.test(readFileSync(stat, 'utf8'));
}
