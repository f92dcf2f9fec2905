import { fork, type ChildProcess } from 'node:child_process';
import type { CallCounts } from '../CallLedger';
import { ClusterRunError } from '../errors';
import { SECRET_VARIABLE, type ChildConfig, type ChildEvent, type StopMessage } from '../events';

type EventOf<K extends ChildEvent['kind']> = Extract<ChildEvent, { kind: K }>;

interface Waiter {
  readonly matches: (event: ChildEvent) => boolean;
  readonly resolve: (event: ChildEvent) => void;
  readonly reject: (error: Error) => void;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * One process of the cluster, as the orchestrator sees it: forked with an IPC channel (in a
 * process group of its own, so that Ctrl-C reaches the orchestrator only, which stops it), the
 * events it sent, its latest call counts, and its exit.
 */
export class ClusterProcess {
  /** The process id. */
  readonly pid: number;
  /** Settles when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly events: ChildEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private stats: { readonly counts: CallCounts; readonly final: boolean } | undefined;
  private exit: ProcessExit | undefined;
  private expected = false;

  /**
   * @param name - The process's name (`rm-1`), as in its configuration.
   * @param script - The built module it runs.
   * @param config - Its configuration, passed as its first argument.
   * @param secretHex - The run's shared secret, passed in its environment.
   * @param onEvent - Called with each event it sends.
   * @param onUnexpectedExit - Called if it exits without being told to stop or being killed.
   */
  constructor(
    readonly name: string,
    script: string,
    config: ChildConfig,
    secretHex: string,
    onEvent: (process: ClusterProcess, event: ChildEvent) => void,
    onUnexpectedExit: (process: ClusterProcess, exit: ProcessExit) => void,
  ) {
    this.child = fork(script, [JSON.stringify(config)], {
      env: { ...process.env, [SECRET_VARIABLE]: secretHex },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    if (this.child.pid === undefined) throw new ClusterRunError(`${name} could not be started`);
    this.pid = this.child.pid;
    this.child.on('message', (event: ChildEvent) => {
      if (event.kind === 'stats') this.stats = event;
      this.events.push(event);
      onEvent(this, event);
      for (const waiter of this.waiters) {
        if (!waiter.matches(event)) continue;
        this.waiters.delete(waiter);
        waiter.resolve(event);
      }
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        const error = new ClusterRunError(`${name} exited (${describeExit(this.exit)})`);
        for (const waiter of this.waiters) waiter.reject(error);
        this.waiters.clear();
        if (!this.expected) onUnexpectedExit(this, this.exit);
        resolve(this.exit);
      });
    });
  }

  /** Whether it is still running. */
  isRunning(): boolean {
    return this.exit === undefined;
  }

  /** Its latest call counts, and whether they are its final ones. */
  latestStats(): { readonly counts: CallCounts; readonly final: boolean } | undefined {
    return this.stats;
  }

  /** The first event of `kind` (that `matches`), whether it was sent already or is still to come. */
  waitFor<K extends ChildEvent['kind']>(
    kind: K,
    matches: (event: EventOf<K>) => boolean = () => true,
  ): Promise<EventOf<K>> {
    const test = (event: ChildEvent): boolean => event.kind === kind && matches(event as EventOf<K>);
    const sent = this.events.find(test);
    if (sent !== undefined) return Promise.resolve(sent as EventOf<K>);
    if (this.exit !== undefined) {
      return Promise.reject(new ClusterRunError(`${this.name} exited (${describeExit(this.exit)}) before ${kind}`));
    }
    return new Promise((resolve, reject) => {
      this.waiters.add({ matches: test, resolve: (event) => resolve(event as EventOf<K>), reject });
    });
  }

  /** Asks it to stop; kills it (SIGKILL) if it has not exited within `graceMs`. */
  async stop(graceMs: number): Promise<ProcessExit> {
    this.expected = true;
    if (this.exit !== undefined) return this.exit;
    if (this.child.connected) this.child.send({ kind: 'stop' } satisfies StopMessage);
    else this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    const exit = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    return exit ?? this.kill();
  }

  /** Kills it with SIGKILL and waits for its exit. */
  kill(): Promise<ProcessExit> {
    this.expected = true;
    if (this.exit === undefined) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** `code 0`, or `signal SIGKILL`. */
export function describeExit(exit: ProcessExit): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}
