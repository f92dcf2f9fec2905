import { RpcInvalidOptionError, RpcInvalidStateError } from '@nact-rpc/core';
import { NactRpcService, type NactRpcServiceOptions } from '@nact-rpc/runtime-nact';
import { VirtualClock } from '../clock/VirtualClock';
import { SeededRandom } from './SeededRandom';
import { SimulatedNetwork, type NetworkBehaviour } from './SimulatedNetwork';
import { SimulationLog } from './SimulationLog';
import { SimulationStuckError } from './SimulationStuckError';
import { SimulationTrace } from './SimulationTrace';

/** Options of a simulation (see `simulate`). */
export interface SimulationOptions extends NetworkBehaviour {
  /** The seed: a whole number from 0 to 2^32 - 1. The same seed gives the same run. */
  readonly seed: number;
  /** How long {@link Simulation.run} waits for a promise by default, in virtual ms. Default 120 000. */
  readonly maxWaitMs?: number | undefined;
}

/** Options of a service a simulation starts: a service's options, but the clock, network and address are the simulation's. */
export interface SimulatedServiceOptions extends Omit<
  NactRpcServiceOptions,
  'clock' | 'network' | 'listen' | 'system' | 'parent'
> {
  /** The port it listens at, on its host. Default 7000. */
  readonly port?: number | undefined;
}

/** The port services of a simulation listen at by default, each on its own host. */
export const DEFAULT_SIMULATED_PORT = 7000;

/**
 * One run of a simulation, as its scenario sees it (made by `simulate`, which also makes the
 * runtime's delivery budget deterministic while it runs): the {@link VirtualClock} all its services
 * read, the {@link SimulatedNetwork} that connects them, the seeded generator its choices come
 * from, and its trace. It starts services on named hosts, crashes and restarts them, and moves
 * time: only {@link run} and {@link advance} do, so a scenario's steps happen at the virtual
 * time it chooses.
 */
export class Simulation {
  /** The clock every service of the simulation reads; it starts at 0. */
  readonly clock: VirtualClock;
  /** The network that connects the services. */
  readonly network: SimulatedNetwork;
  /** The scenario's own generator (the network draws from another: see `SeededRandom.fork`). */
  readonly random: SeededRandom;
  /** Every network event and every {@link note}, with its virtual time. */
  readonly trace: SimulationTrace;
  /** What the services logged (not part of the trace). */
  readonly log: SimulationLog;
  private readonly live = new Map<string, NactRpcService>();
  /** The closing of crashed services: how each ended, kept for {@link shutdown} to report. */
  private readonly discarded: Promise<{ readonly failure?: unknown }>[] = [];
  private readonly maxWaitMs: number;

  /** @throws RpcInvalidOptionError naming an option out of range. */
  constructor(
    /** The seed of the run. */
    readonly seed: number,
    options: Omit<SimulationOptions, 'seed'> = {},
  ) {
    const root = new SeededRandom(seed);
    this.clock = new VirtualClock({ startMs: 0 });
    this.trace = new SimulationTrace(this.clock);
    this.log = new SimulationLog(this.clock);
    this.random = root.fork('scenario');
    this.network = new SimulatedNetwork({
      ...options,
      clock: this.clock,
      random: root.fork('network'),
      trace: this.trace,
    });
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    if (!(this.maxWaitMs > 0) || !Number.isFinite(this.maxWaitMs)) {
      throw RpcInvalidOptionError.forValue('maxWaitMs', options.maxWaitMs, 'a positive number of ms', 'simulate');
    }
  }

  /** Records a scenario event in the trace. */
  note(event: string): void {
    this.trace.record(`note ${event}`);
  }

  /**
   * Starts a service named `host` on host `host`, listening at `host:port`, on the simulation's
   * clock and network, logging to {@link log} unless given a logger. It does not move time.
   * @throws RpcInvalidStateError (as a rejection) if a service runs on `host` already.
   */
  async startService(host: string, options: SimulatedServiceOptions = {}): Promise<NactRpcService> {
    if (this.live.has(host)) {
      throw new RpcInvalidStateError(`Host ${host} runs a service already: crash it before starting another.`);
    }
    const { port = DEFAULT_SIMULATED_PORT, ...serviceOptions } = options;
    const service = await NactRpcService.create({
      name: host,
      logger: this.log.loggerFor(host),
      ...serviceOptions,
      clock: this.clock,
      network: this.network.host(host),
      listen: { host, port },
    });
    this.live.set(host, service);
    this.trace.record(`service ${host} started`);
    return service;
  }

  /** The service running on `host`, if one does. */
  service(host: string): NactRpcService | undefined {
    return this.live.get(host);
  }

  /** The services running, by host. */
  services(): ReadonlyMap<string, NactRpcService> {
    return this.live;
  }

  /**
   * Crashes the service on `host`: the network cuts its connections at once (see
   * `SimulatedNetwork.crash`; `reset: false` for a machine that goes silent), and the service
   * is discarded: it is closed, in the background, as a dead process's resources are
   * reclaimed, and nothing it does reaches the network any more. It does not move time.
   * @throws RpcInvalidStateError if no service runs on `host`.
   */
  crash(host: string, options: { readonly reset?: boolean } = {}): void {
    const service = this.live.get(host);
    if (service === undefined) throw new RpcInvalidStateError(`No service runs on host ${host}: nothing to crash.`);
    this.live.delete(host);
    this.network.crash(host, options);
    this.discarded.push(
      service.closeAsync().then(
        () => ({}),
        (failure: unknown) => ({ failure }),
      ),
    );
  }

  /** Brings host `host` back after a crash and starts its service again, at the same address. */
  restart(host: string, options: SimulatedServiceOptions = {}): Promise<NactRpcService> {
    this.network.restart(host);
    return this.startService(host, options);
  }

  /** Moves virtual time forward by `ms`, firing every timer on the way. */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms);
  }

  /**
   * Moves virtual time, timer by timer, until `promise` settles, and returns its result.
   * @throws SimulationStuckError (as a rejection) if it has not settled within `maxWaitMs` of
   *   virtual time (default: the simulation's), naming `what` waited.
   */
  async run<T>(promise: Promise<T>, what = 'a promise', maxWaitMs = this.maxWaitMs): Promise<T> {
    let settled = false;
    const watch = (): void => {
      settled = true;
    };
    promise.then(watch, watch);
    await this.clock.settle();
    const deadline = this.clock.now() + maxWaitMs;
    while (!settled) {
      const next = this.clock.nextTimerAt();
      if (next === undefined || next > deadline) {
        const why = next === undefined ? 'no timer is left to move time to' : `after ${maxWaitMs} ms of virtual time`;
        throw new SimulationStuckError(`${what} did not settle: ${why}.`);
      }
      await this.clock.advance(next - this.clock.now());
    }
    return promise;
  }

  /**
   * Closes every service still running and waits for the crashed ones to finish closing, moving
   * time as they need; then checks that no connection end is left open.
   * @throws the first failure to close, or RpcInvalidStateError if a connection end is still open.
   */
  async shutdown(): Promise<void> {
    const closing = [...this.live.values()].map((service) => service.closeAsync());
    this.live.clear();
    const crashed = await this.run(
      Promise.all([Promise.all(closing), Promise.all(this.discarded.splice(0))]),
      'closing the services',
    );
    const failed = crashed[1].find((outcome) => 'failure' in outcome);
    if (failed !== undefined) throw failed.failure;
    const open = this.network.openSocketCount();
    if (open > 0) {
      throw new RpcInvalidStateError(`${open} connection ends are still open after every service closed.`);
    }
    this.trace.record('shutdown');
  }
}
