/**
 * What every process of the cluster shares: its configuration, a service with authentication
 * on, the IPC channel to the orchestrator, its call counts, and its exit: when told to stop,
 * on SIGTERM or SIGINT, and when the orchestrator is gone (the IPC channel closes).
 */
import { NactRpcService } from '@nact-rpc/runtime-nact';
import { CallLedger } from '../CallLedger';
import { lineLogger } from '../lineLogger';
import { SECRET_VARIABLE, type ChildConfig, type ChildEvent } from '../events';

/** What a process's component gets from {@link runChild}. */
export interface ChildContext<TConfig extends ChildConfig> {
  readonly config: TConfig;
  readonly ledger: CallLedger;
  /** Sends an event to the orchestrator. */
  readonly send: (event: ChildEvent) => void;
  /** Sends a progress line to the orchestrator. */
  readonly line: (text: string) => void;
  /** A service with the run's shared secret; listening on a free loopback port if `listen`. */
  readonly createService: (listen: boolean) => Promise<NactRpcService>;
  /** Ends the process for an error of a background loop. */
  readonly fail: (error: unknown) => void;
}

/** A running component: stopping it ends its loops (and waits for the step that runs). */
export interface ChildComponent {
  stop(): Promise<void>;
}

const STATS_INTERVAL_MS = 500;

/** Runs the component `start` makes, in a process the orchestrator forked. */
export function runChild<TConfig extends ChildConfig>(
  start: (context: ChildContext<TConfig>) => Promise<ChildComponent>,
): void {
  if (process.send === undefined) {
    console.error('This is a process of the cluster example: run it with `npm start`.');
    process.exit(2);
  }
  const config = JSON.parse(process.argv[2] ?? '{}') as TConfig;
  const secret = Buffer.from(process.env[SECRET_VARIABLE] ?? '', 'hex');
  delete process.env[SECRET_VARIABLE];
  const ledger = new CallLedger();
  const services: NactRpcService[] = [];
  let component: ChildComponent | undefined;
  let exiting = false;

  const send = (event: ChildEvent): Promise<void> =>
    new Promise((resolve) => {
      if (process.connected !== true || process.send === undefined) resolve();
      else process.send(event, undefined, {}, () => resolve());
    });
  const statsTimer = setInterval(
    () => void send({ kind: 'stats', counts: ledger.counts(), final: false }),
    STATS_INTERVAL_MS,
  );

  const closeServices = async (): Promise<boolean> => {
    const closed = await Promise.allSettled(services.map((service) => service.closeAsync()));
    const failures = closed.filter((result) => result.status === 'rejected');
    for (const failure of failures) console.error(`${config.name}: closing its service failed:`, failure.reason);
    return failures.length === 0;
  };

  /** Stops the component, waits for its calls to end, reports the counts, closes and exits. */
  const exit = async (code: number, failure?: unknown): Promise<void> => {
    if (exiting) return;
    exiting = true;
    clearInterval(statsTimer);
    if (failure !== undefined) await send({ kind: 'failed', text: describe(failure) });
    try {
      await component?.stop();
    } catch (error) {
      await send({ kind: 'failed', text: `stopping: ${describe(error)}` });
      code = 1;
    }
    await ledger.drained(config.askTimeoutMs + 1_000);
    await send({ kind: 'stats', counts: ledger.counts(), final: true });
    if (!(await closeServices())) code = 1;
    process.exit(code);
  };

  const context: ChildContext<TConfig> = {
    config,
    ledger,
    send: (event) => void send(event),
    line: (text) => void send({ kind: 'line', text }),
    createService: async (listen) => {
      const options = {
        name: config.name,
        askTimeoutMs: config.askTimeoutMs,
        security: { sharedSecret: secret },
        logger: lineLogger((text) => void send({ kind: 'line', text })),
      };
      const service = listen
        ? await NactRpcService.create({ ...options, listen: { host: '127.0.0.1', port: 0 } })
        : new NactRpcService(options);
      services.push(service);
      return service;
    },
    fail: (error) => void exit(1, error),
  };

  process.on('message', (message: { kind?: unknown }) => {
    if (message.kind === 'stop') void exit(0);
  });
  process.once('SIGTERM', () => void exit(0));
  process.once('SIGINT', () => void exit(0));
  // The orchestrator is gone (it died, or was killed): nobody is left to report to.
  process.once('disconnect', () => {
    if (exiting) return;
    exiting = true;
    console.error(`${config.name}: the orchestrator is gone; exiting.`);
    setTimeout(() => process.exit(1), 2_000).unref();
    void closeServices().then(() => process.exit(1));
  });

  start(context).then(
    (started) => {
      component = started;
    },
    (error: unknown) => void exit(1, error),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
