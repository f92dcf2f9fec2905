import type { FencedGatewayOf, GatewayOf } from '@nact-rpc/core';
import type { NactRpcService } from '@nact-rpc/runtime-nact';
import type { SimulatedServiceOptions, Simulation } from '@nact-rpc/testing';
import type { Ledger } from './Ledger';
import { AckEndpoint, Dispatcher, DispatcherEndpoint, ReportSink, Reports } from './leaderEndpoints';

/** The hosts that may run the leader; each runs a dispatcher and a report sink. */
export const LEADER_HOSTS: readonly string[] = ['leader-1', 'leader-2'];

/** Every service of the cluster: timeouts short enough that a few virtual seconds see them all. */
export const CLUSTER_SERVICE_OPTIONS: SimulatedServiceOptions = {
  askTimeoutMs: 1_500,
  remoteErrorStacks: 'never',
  transport: {
    heartbeatIntervalMs: 500,
    heartbeatTimeoutMs: 2_000,
    connectTimeoutMs: 600,
    reconnectBackoffMs: 50,
    maxReconnectBackoffMs: 800,
  },
};

/** The services of a run that authenticates: with it, a pair of services shares one connection both ways. */
const SHARED_SECRET = { sharedSecret: 'the shared secret of the simulated cluster' };

/** The most hosts down at once. */
const MAX_DOWN = 2;

/** Who leads, under which token, as the election service knows it. */
interface Leadership {
  readonly host: string;
  readonly token: string;
}

/** One run of a leader host: its service and dispatcher. */
interface LeaderRun {
  readonly service: NactRpcService;
  readonly dispatcher: DispatcherEndpoint;
}

/** One run of a worker: what it learned and the gateways it holds. */
class WorkerRun {
  leader: Leadership | undefined;
  gateway: (Leadership & { readonly gateway: FencedGatewayOf<typeof Dispatcher, string> }) | undefined;
  connecting = false;
  readonly sinks = new Map<string, GatewayOf<typeof Reports> | 'connecting'>();
  readonly seqs = new Map<string, number>();
  nextCall = 1;

  constructor(
    readonly host: string,
    readonly key: string,
    readonly service: NactRpcService,
    /** The address of its endpoint that takes the leader hosts' acknowledgements. */
    readonly acks: string,
  ) {}
}

/** How many faults and leader changes a run saw. */
export interface ClusterCounts {
  crashes: number;
  partitions: number;
  drops: number;
  leaderChanges: number;
}

/**
 * A fenced leader with workers, on a simulated network: two leader hosts (a `DispatcherEndpoint`
 * and a `ReportSink` each), workers that learn the leader and its token from an election
 * service (in process, its news arriving after seeded delays, as a real one's would), call the
 * dispatcher with the token they learned and report to the leader host's sink, which calls
 * them back to acknowledge some reports; and the faults the seed chooses: partitions, dropped
 * connections, crashes and restarts, leader changes. Half of the seeds authenticate the
 * services with a shared secret, so that a pair of services shares one connection both ways
 * (and two opened at once are reduced to one).
 */
export class LeaderCluster {
  readonly counts: ClusterCounts = { crashes: 0, partitions: 0, drops: 0, leaderChanges: 0 };
  private readonly leaders = new Map<string, LeaderRun>();
  private readonly workers = new Map<string, WorkerRun>();
  /** Every worker run, crashed ones too, by key. */
  private readonly workerRuns = new Map<string, WorkerRun>();
  private readonly incarnations = new Map<string, number>();
  private readonly addresses = new Map<string, { dispatcher: string; reports: string }>();
  private readonly down = new Set<string>();
  private leadership: Leadership | undefined;
  private tokens = 0;
  private partitioned = false;
  /** Whether the services authenticate with a shared secret: the seed decides. */
  private authenticated = false;

  constructor(
    private readonly sim: Simulation,
    private readonly ledger: Ledger,
    private readonly workerHosts: readonly string[],
  ) {}

  /** Starts every host and elects the first leader. */
  async start(): Promise<void> {
    this.authenticated = this.sim.random.chance(0.5);
    this.sim.note(this.authenticated ? 'services authenticate with a shared secret' : 'services do not authenticate');
    for (const host of LEADER_HOSTS) await this.startLeader(host);
    for (const host of this.workerHosts) await this.startWorker(host);
    this.elect(this.sim.random.pick(LEADER_HOSTS));
  }

  /** One step: maybe faults, then each worker's calls and reports, then a seeded while. */
  async step(withFaults: boolean): Promise<void> {
    if (withFaults) await this.fault();
    for (const worker of this.workers.values()) this.work(worker);
    await this.sim.advance(this.sim.random.int(20, 200));
  }

  /**
   * How many tells the transport of worker run `key` counted as dropped before they reached a
   * connection (every reason but a connection lost with them on it).
   */
  droppedTells(key: string): number {
    const stats = this.workerRuns.get(key)?.service.getTransportStats();
    return stats === undefined ? 0 : stats.tellsLost - stats.tellsLostBy.connectionLost;
  }

  /** The network heals, crashed hosts restart, and a leader is elected if none leads. */
  async recover(): Promise<void> {
    this.sim.network.heal();
    this.partitioned = false;
    for (const host of [...this.down]) await this.restart(host);
    if (this.leadership === undefined || !this.leaders.has(this.leadership.host)) {
      this.elect(this.sim.random.pick([...this.leaders.keys()]));
    }
  }

  private async startLeader(host: string): Promise<void> {
    const service = await this.launch(host);
    const dispatcher = new DispatcherEndpoint(service, this.ledger, host);
    await dispatcher.start();
    const sink = new ReportSink(service, this.ledger, host);
    await sink.start();
    this.addresses.set(host, { dispatcher: dispatcher.getAddress(), reports: sink.getAddress() });
    this.leaders.set(host, { service, dispatcher });
  }

  private async startWorker(host: string): Promise<void> {
    const service = await this.launch(host);
    const acks = new AckEndpoint(service);
    await acks.start();
    const worker = new WorkerRun(host, `${host}#${this.incarnations.get(host)}`, service, acks.getAddress());
    this.workers.set(host, worker);
    this.workerRuns.set(worker.key, worker);
    this.inform(worker);
  }

  private async launch(host: string): Promise<NactRpcService> {
    const incarnation = (this.incarnations.get(host) ?? 0) + 1;
    this.incarnations.set(host, incarnation);
    const options = this.authenticated
      ? { ...CLUSTER_SERVICE_OPTIONS, security: SHARED_SECRET }
      : CLUSTER_SERVICE_OPTIONS;
    return incarnation === 1 ? this.sim.startService(host, options) : this.sim.restart(host, options);
  }

  /** A new leader, under a new token: the hosts and the workers hear of it after seeded delays. */
  private elect(host: string): void {
    const previous = this.leadership;
    const leadership = { host, token: `session-${++this.tokens}` };
    this.leadership = leadership;
    this.counts.leaderChanges++;
    this.sim.note(`election: ${host} leads with ${leadership.token}`);
    if (previous !== undefined && previous.host !== host) {
      this.later(() => {
        if (this.leadership?.host !== previous.host) this.leaders.get(previous.host)?.dispatcher.revokeLeadership();
      });
    }
    this.later(() => {
      if (this.leadership === leadership) this.leaders.get(host)?.dispatcher.grantLeadership(leadership.token);
    });
    for (const worker of this.workers.values()) this.inform(worker);
  }

  /** The worker learns the current leadership, some time from now, if it still is current. */
  private inform(worker: WorkerRun): void {
    const leadership = this.leadership;
    if (leadership === undefined) return;
    this.later(() => {
      if (this.leadership !== leadership || this.workers.get(worker.host) !== worker) return;
      worker.leader = leadership;
      this.sim.note(`${worker.key} learns ${leadership.token} at ${leadership.host}`);
    }, 400);
  }

  private later(fn: () => void, maxMs = 200): void {
    this.sim.clock.setTimeout(fn, this.sim.random.int(1, maxMs));
  }

  private work(worker: WorkerRun): void {
    const { random } = this.sim;
    const leader = worker.leader;
    if (leader === undefined) return;
    const current = worker.gateway;
    if ((current?.token !== leader.token || current.host !== leader.host) && !worker.connecting) {
      this.connect(worker, leader);
    }
    // A gateway with an older token goes on being used until the new one is ready.
    if (current !== undefined && random.chance(0.7)) {
      const call = worker.nextCall++;
      const takesMs = random.chance(0.1) ? random.int(100, 2_500) : 0;
      const work = current.gateway.work(worker.key, call, current.token, takesMs);
      this.ledger.track({ kind: 'work', worker: worker.key, call, token: current.token }, work);
    }
    if (random.chance(0.6)) this.report(worker, leader.host, random.int(1, 3));
  }

  private connect(worker: WorkerRun, leader: Leadership): void {
    const address = this.addresses.get(leader.host)?.dispatcher as string;
    worker.connecting = true;
    const connecting = worker.service.connect(address, Dispatcher, { fencingToken: leader.token });
    this.ledger.track({ kind: 'connect', worker: worker.key, call: 0, token: leader.token }, connecting);
    connecting.then(
      (gateway) => {
        worker.connecting = false;
        worker.gateway = { ...leader, gateway };
      },
      () => {
        worker.connecting = false;
      },
    );
  }

  private report(worker: WorkerRun, sinkHost: string, count: number): void {
    const sink = worker.sinks.get(sinkHost);
    if (sink === 'connecting') return;
    if (sink === undefined) {
      worker.sinks.set(sinkHost, 'connecting');
      const address = this.addresses.get(sinkHost)?.reports as string;
      const connecting = worker.service.connect(address, Reports);
      this.ledger.track({ kind: 'connect', worker: worker.key, call: 0, token: 'unfenced' }, connecting);
      connecting.then(
        (gateway) => worker.sinks.set(sinkHost, gateway),
        () => worker.sinks.delete(sinkHost),
      );
      return;
    }
    for (let i = 0; i < count; i++) {
      const seq = (worker.seqs.get(sinkHost) ?? 0) + 1;
      worker.seqs.set(sinkHost, seq);
      this.ledger.sent(worker.key, worker.host, sinkHost, seq);
      sink.report(worker.key, seq, worker.acks);
    }
  }

  /** The faults of one step, each with its own chance. */
  private async fault(): Promise<void> {
    const { random, network } = this.sim;
    const hosts = [...LEADER_HOSTS, ...this.workerHosts];
    if (this.partitioned) {
      if (random.chance(0.25)) {
        network.heal();
        this.partitioned = false;
      }
    } else if (random.chance(0.08)) {
      const side = hosts.filter(() => random.chance(0.5));
      if (side.length > 0 && side.length < hosts.length) {
        network.partition(
          side,
          hosts.filter((host) => !side.includes(host)),
        );
        this.partitioned = true;
        this.counts.partitions++;
      }
    }
    if (random.chance(0.05) && network.drop(random.pick(this.workerHosts), random.pick(LEADER_HOSTS)).length > 0) {
      this.counts.drops++;
    }
    if (random.chance(0.04) && this.down.size < MAX_DOWN)
      this.crash(random.pick(hosts.filter((host) => !this.down.has(host))));
    for (const host of [...this.down]) if (random.chance(0.2)) await this.restart(host);
    if (random.chance(0.06) && this.leaders.size > 0) this.elect(random.pick([...this.leaders.keys()]));
  }

  private crash(host: string): void {
    this.counts.crashes++;
    this.down.add(host);
    this.leaders.delete(host);
    this.workers.delete(host);
    this.sim.crash(host, { reset: this.sim.random.chance(0.7) });
    if (this.leadership?.host !== host) return;
    // The election service notices that the leader is gone: another host leads, if one runs.
    const others = [...this.leaders.keys()];
    if (others.length > 0) this.elect(this.sim.random.pick(others));
  }

  private async restart(host: string): Promise<void> {
    this.down.delete(host);
    if (!LEADER_HOSTS.includes(host)) {
      await this.startWorker(host);
      return;
    }
    await this.startLeader(host);
    const leadership = this.leadership;
    if (leadership === undefined || !this.leaders.has(leadership.host)) this.elect(host);
    else if (leadership.host === host) this.elect(host);
  }
}
