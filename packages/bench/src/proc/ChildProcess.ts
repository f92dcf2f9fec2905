/**
 * The parent's side of the benchmark's child processes. A child speaks in lines on stdout:
 * `MSG <json>`; its first message is its READY message. The parent sends commands as lines
 * on the child's stdin. Every child started is killed by {@link killAllChildren}, which the
 * CLI calls at the end and on exit, even after an error.
 */
import { spawn, type ChildProcess as NodeChild } from 'node:child_process';
import { join } from 'node:path';

const running = new Set<BenchChild>();

/** How to start a child. */
export interface ChildOptions {
  /** Flags for node, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[];
  /** How long the child may take to send its first message, in ms. Default 60 000. */
  readonly readyTimeoutMs?: number;
}

/** A running child process of the benchmark. */
export class BenchChild {
  private readonly messages: unknown[] = [];
  private readonly waiters: Array<{ resolve: (message: unknown) => void; reject: (error: Error) => void }> = [];
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly label: string,
    private readonly child: NodeChild,
  ) {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        this.onLine(stdout.slice(0, newline));
        stdout = stdout.slice(newline + 1);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') process.stderr.write(`[${label}] ${line}\n`);
    });
    child.stdin?.on('error', () => undefined); // a child that died: reported by its exit
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(this);
        this.exitError = new Error(`child ${label} exited (code ${code}, signal ${signal})`);
        for (const waiter of this.waiters.splice(0)) waiter.reject(this.exitError);
        resolve();
      });
    });
  }

  /**
   * Starts `dist/<script>` in a new node process and resolves with the child and its first
   * message, once it sends it.
   * @throws Error (as a rejection) if the child exits or stays silent past the timeout.
   */
  static async start(
    label: string,
    script: string,
    args: readonly string[] = [],
    options: ChildOptions = {},
  ): Promise<{ child: BenchChild; ready: unknown }> {
    const path = join(__dirname, '..', script);
    const node = spawn(process.execPath, [...(options.nodeArgs ?? []), path, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const child = new BenchChild(label, node);
    running.add(child);
    try {
      const ready = await child.next(options.readyTimeoutMs ?? 60_000);
      return { child, ready };
    } catch (error) {
      await child.kill();
      throw error;
    }
  }

  /** Sends a command line to the child and resolves with its next message. */
  request(command: string, timeoutMs = 30_000): Promise<unknown> {
    this.child.stdin?.write(`${command}\n`);
    return this.next(timeoutMs);
  }

  /** Resolves with the child's next message (or rejects if it exits or times out first). */
  next(timeoutMs: number): Promise<unknown> {
    const queued = this.messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exitError !== undefined) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`child ${this.label} sent nothing for ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        resolve: (message: unknown) => (clearTimeout(timer), resolve(message)),
        reject: (error: Error) => (clearTimeout(timer), reject(error)),
      };
      this.waiters.push(waiter);
    });
  }

  /** Kills the child (SIGKILL) and resolves once it has exited. */
  async kill(): Promise<void> {
    this.killNow();
    await this.exited;
  }

  /** Sends SIGKILL at once, without waiting. */
  killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onLine(line: string): void {
    if (!line.startsWith('MSG ')) {
      if (line.trim() !== '') process.stderr.write(`[${this.label}] ${line}\n`);
      return;
    }
    const message: unknown = JSON.parse(line.slice(4));
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(message);
    else this.messages.push(message);
  }
}

/** Kills every child still running and waits for them to exit. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill()));
}

/** Sends SIGKILL to every child still running, synchronously (for `process.on('exit')`). */
export function killAllChildrenNow(): void {
  for (const child of running) child.killNow();
}
