/** The ratios the benchmark reports, the raw TCP baselines they use, and the goals set on some of them. */
import { WRITE_MODES, type WriteMode } from './remote/frames';
import { rawTcpScenarioName } from './remote/rawTcp';

/**
 * The in-flight counts of the raw TCP baselines that are the best of the write modes measured
 * in the run: for each, the variant (naive, corked, batched, pipelined) with the highest median
 * throughput. Its throughput is the figure `remote_raw_tcp_best_<n>_per_s`, the denominator of
 * `remote_ask_<n>_vs_raw_tcp`, and its p50 `remote_raw_tcp_best_<n>_p50_us` (the denominator of
 * `remote_p50_1_vs_raw_tcp`).
 */
export const BEST_RAW_TCP_IN_FLIGHT = [1, 100, 1_000] as const;

/** The figure of the best raw TCP variant's throughput at `inFlight`. */
export const bestRawTcpFigure = (inFlight: number): string => `remote_raw_tcp_best_${inFlight}_per_s`;

/** The figure of the best raw TCP variant's p50 latency (µs) at `inFlight`. */
export const bestRawTcpP50Figure = (inFlight: number): string => `remote_raw_tcp_best_${inFlight}_p50_us`;

/** The best raw TCP baseline at one in-flight count: the variant chosen, and every variant measured. */
export interface RawTcpBaseline {
  /** The batched scenario's name, e.g. `remote_raw_tcp_1000`, naming the baseline. */
  readonly name: string;
  readonly best: WriteMode;
  /** The median throughput (calls/s) of each variant measured. */
  readonly perSecond: Partial<Record<WriteMode, number>>;
}

/** The best raw TCP baselines of a run: their figures, and which variant each one is. */
export interface RawTcpBaselines {
  /** `remote_raw_tcp_best_<n>_per_s` and `_p50_us`: the best variant's median throughput and p50. */
  readonly figures: Record<string, number>;
  /** Which variant was best, by baseline name, e.g. `{ remote_raw_tcp_1000: 'corked' }`. */
  readonly baselines: Record<string, WriteMode>;
  /** The baselines with every variant's throughput, for the table. */
  readonly details: RawTcpBaseline[];
}

/** Picks, at each in-flight count, the raw TCP variant measured with the highest median throughput. */
export function chooseRawTcpBaselines(figures: Readonly<Record<string, number>>): RawTcpBaselines {
  const chosen: RawTcpBaselines = { figures: {}, baselines: {}, details: [] };
  for (const inFlight of BEST_RAW_TCP_IN_FLIGHT) {
    const perSecond: Partial<Record<WriteMode, number>> = {};
    let best: WriteMode | undefined;
    for (const mode of WRITE_MODES) {
      const value = figures[`${rawTcpScenarioName(mode, inFlight)}_per_s`];
      if (value === undefined) continue;
      perSecond[mode] = value;
      if (best === undefined || value > (perSecond[best] ?? 0)) best = mode;
    }
    if (best === undefined) continue;
    const name = rawTcpScenarioName('batched', inFlight);
    chosen.figures[bestRawTcpFigure(inFlight)] = perSecond[best] ?? Number.NaN;
    const p50 = figures[`${rawTcpScenarioName(best, inFlight)}_p50_us`];
    if (p50 !== undefined) chosen.figures[bestRawTcpP50Figure(inFlight)] = p50;
    chosen.baselines[name] = best;
    chosen.details.push({ name, best, perSecond });
  }
  return chosen;
}

/** A ratio: one figure divided by another. */
interface RatioDefinition {
  readonly key: string;
  readonly numerator: string;
  readonly denominator: string;
}

const ratio = (key: string, numerator: string, denominator: string): RatioDefinition => ({
  key,
  numerator,
  denominator,
});

/**
 * Every ratio reported, in order; {@link GOALS} sets goals on some of them. The remote ask
 * ratios at 1, 100 and 1,000 in flight and the p50 at 1 divide by the best raw TCP variant
 * measured in the run (see {@link chooseRawTcpBaselines}); the bulk ones by raw TCP moving the
 * same bytes as raw frames (see `remote/rawBulk.ts`).
 */
export const RATIOS: readonly RatioDefinition[] = [
  ratio('local_ask_seq_vs_nact_query', 'local_rpc_ask_seq_per_s', 'local_nact_query_seq_per_s'),
  ratio('local_ask_1000_vs_nact_query', 'local_rpc_ask_1000_per_s', 'local_nact_query_1000_per_s'),
  ratio('local_tell_vs_nact_dispatch', 'local_rpc_tell_per_s', 'local_nact_dispatch_per_s'),
  // What a deadline on every call costs local asks (an async scope per call; no goal).
  ratio('local_ask_deadline_1000_vs_plain', 'local_rpc_ask_deadline_1000_per_s', 'local_rpc_ask_1000_per_s'),
  // Against the best raw TCP variant measured (see chooseRawTcpBaselines).
  ratio('remote_ask_1_vs_raw_tcp', 'remote_rpc_ask_1_per_s', bestRawTcpFigure(1)),
  ratio('remote_p50_1_vs_raw_tcp', 'remote_rpc_ask_1_p50_us', bestRawTcpP50Figure(1)),
  ratio('remote_ask_100_vs_raw_tcp', 'remote_rpc_ask_100_per_s', bestRawTcpFigure(100)),
  ratio('remote_ask_100_vs_grpc', 'remote_rpc_ask_100_per_s', 'remote_grpc_100_per_s'),
  ratio('remote_ask_1000_vs_raw_tcp', 'remote_rpc_ask_1000_per_s', bestRawTcpFigure(1_000)),
  // Bulk: 1 MiB asks and a one-way stream of 64 KiB tells, against raw TCP moving the same bytes.
  ratio('remote_ask_1mib_vs_raw_tcp', 'remote_rpc_ask_1mib_mb_per_s', 'remote_raw_tcp_1mib_mb_per_s'),
  ratio('remote_tell_vs_raw_tcp_stream', 'remote_rpc_tell_stream_mb_per_s', 'remote_raw_tcp_stream_mb_per_s'),
  ratio('memory_per_endpoint_vs_nact_actor', 'memory_per_endpoint_bytes', 'memory_per_nact_actor_bytes'),
  ratio('local_ask_seq_vs_direct_call', 'local_rpc_ask_seq_per_s', 'local_direct_call_per_s'),
  ratio('remote_ask_1_vs_grpc', 'remote_rpc_ask_1_per_s', 'remote_grpc_1_per_s'),
  ratio('remote_ask_1000_vs_grpc', 'remote_rpc_ask_1000_per_s', 'remote_grpc_1000_per_s'),
  ratio('remote_p99_100_vs_raw_tcp', 'remote_rpc_ask_100_p99_us', 'remote_raw_tcp_100_p99_us'),
  ratio('remote_tell_vs_local_tell', 'remote_rpc_tell_per_s', 'local_rpc_tell_per_s'),
  ratio('codec_superjson_codec_vs_superjson', 'codec_superjson_codec_per_s', 'codec_superjson_per_s'),
  ratio('codec_default_plain_vs_json', 'codec_default_plain_per_s', 'codec_json_plain_per_s'),
  // How many plain-JSON walks (codec_plain_check) take the time of one JSON round trip: at N,
  // the walk costs the default codec's plain path 1 / (N + 1) of its time against JSON, which
  // only its cheaper buffers around the JSON text make up for.
  ratio('codec_plain_check_vs_json_plain', 'codec_plain_check_per_s', 'codec_json_plain_per_s'),
  // The typed codec (scenario codec_typed, codec.ts) on the rich payload, against bare superjson.
  ratio('codec_typed_vs_superjson', 'codec_typed_per_s', 'codec_superjson_per_s'),
  // Secured remote asks: TLS against a raw TLS echo (a goal), each against plaintext.
  ratio('remote_tls_ask_100_vs_raw_tls', 'remote_tls_ask_100_per_s', 'remote_raw_tls_100_per_s'),
  ratio('remote_secret_ask_100_vs_raw_tcp', 'remote_secret_ask_100_per_s', 'remote_raw_tcp_100_per_s'),
  ratio('remote_secret_ask_100_vs_rpc_ask_100', 'remote_secret_ask_100_per_s', 'remote_rpc_ask_100_per_s'),
  ratio('remote_tls_ask_100_vs_rpc_ask_100', 'remote_tls_ask_100_per_s', 'remote_rpc_ask_100_per_s'),
  ratio('remote_raw_tls_100_vs_raw_tcp', 'remote_raw_tls_100_per_s', 'remote_raw_tcp_100_per_s'),
  // Fairness: the burst's local asks (in the burst child, 10,000 in flight) against nact query.
  ratio('local_burst_ask_vs_nact_query_1000', 'local_burst_asks_per_s', 'local_nact_query_1000_per_s'),
];

/** Computes every ratio whose figures were measured. */
export function computeRatios(figures: Readonly<Record<string, number>>): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const { key, numerator, denominator } of RATIOS) {
    const top = figures[numerator];
    const bottom = figures[denominator];
    if (top !== undefined && bottom !== undefined) ratios[key] = top / bottom;
  }
  return ratios;
}

/**
 * A goal: at least (`>=`) or at most (`<=`) a target, on a ratio (of `ratios`, a multiple) or,
 * for an absolute goal, on a figure (of `figures`, in `unit`).
 */
export type Goal = {
  readonly label: string;
  readonly comparison: '>=' | '<=';
  readonly target: number;
} & ({ readonly ratio: string } | { readonly figure: string; readonly unit: string });

const atLeast = (label: string, key: string, target: number): Goal => ({
  label,
  ratio: key,
  comparison: '>=',
  target,
});
const atMost = (label: string, key: string, target: number): Goal => ({ label, ratio: key, comparison: '<=', target });
const figureAtMost = (label: string, figure: string, unit: string, target: number): Goal => ({
  label,
  figure,
  unit,
  comparison: '<=',
  target,
});

/**
 * The performance goals of nact-rpc:
 *
 * - local: asks >= 1.5x nact `query` at 1 in flight and >= 4x at 1,000; tells >= 1.5x `dispatch`;
 * - remote asks against the strongest raw TCP baseline (the best of naive, corked, batched and pipelined
 *   writes at each in-flight count): >= 0.9x at 1 and at 100 in flight, >= 0.8x at 1,000, and
 *   p50 at 1 in flight <= 1.1x raw TCP's; >= 20x grpc-js at 100 in flight;
 * - bulk: 1 MiB asks and a one-way stream of 64 KiB tells >= 0.8x raw TCP moving the same bytes;
 * - codec: the typed codec >= 2x bare superjson; the default codec on a plain payload >= 1x `JSON`;
 * - scale: memory per endpoint <= 1.3x a bare nact actor; 1,000 idle associations <= 1% of a
 *   core (a figure goal, like the fairness ones);
 * - TLS asks at 100 in flight >= 0.7x a raw TLS echo;
 * - fairness (figure goals): during a burst of local asks, to 1 and to 100 endpoints, the event
 *   loop's longest delay <= 20 ms and a remote client's p99 <= 5 ms.
 *
 * The soak run's goals are {@link SOAK_GOALS}.
 */
export const GOALS: readonly Goal[] = [
  atLeast('local ask >= 1.5x nact query (1 in flight)', 'local_ask_seq_vs_nact_query', 1.5),
  atLeast('local ask >= 4x nact query (1000 in flight)', 'local_ask_1000_vs_nact_query', 4),
  atLeast('local tell >= 1.5x nact dispatch', 'local_tell_vs_nact_dispatch', 1.5),
  atLeast('remote ask@1 >= 0.9x raw TCP', 'remote_ask_1_vs_raw_tcp', 0.9),
  atMost('remote p50@1 <= 1.1x raw TCP', 'remote_p50_1_vs_raw_tcp', 1.1),
  atLeast('remote ask@100 >= 0.9x raw TCP', 'remote_ask_100_vs_raw_tcp', 0.9),
  atLeast('remote ask@100 >= 20x gRPC', 'remote_ask_100_vs_grpc', 20),
  atLeast('remote ask@1000 >= 0.8x raw TCP', 'remote_ask_1000_vs_raw_tcp', 0.8),
  atLeast('remote 1 MiB ask >= 0.8x raw TCP (MB/s)', 'remote_ask_1mib_vs_raw_tcp', 0.8),
  atLeast('remote tell stream >= 0.8x raw TCP (MB/s)', 'remote_tell_vs_raw_tcp_stream', 0.8),
  atLeast('typed codec >= 2x superjson', 'codec_typed_vs_superjson', 2),
  atLeast('default codec, plain payload >= 1x JSON', 'codec_default_plain_vs_json', 1),
  atMost('memory per endpoint <= 1.3x nact actor', 'memory_per_endpoint_vs_nact_actor', 1.3),
  figureAtMost('CPU of 1000 idle associations <= 1% core', 'idle_associations_cpu_percent', '% core', 1),
  atLeast('remote TLS ask@100 >= 0.7x raw TLS', 'remote_tls_ask_100_vs_raw_tls', 0.7),
  // Fairness: a burst of local asks must leave the event loop turning and remote callers served.
  figureAtMost('event loop max delay, local burst <= 20 ms', 'event_loop_max_delay_ms_local_burst', 'ms', 20),
  figureAtMost(
    'event loop max delay, burst to 100 endpoints <= 20 ms',
    'event_loop_max_delay_ms_local_burst_100_endpoints',
    'ms',
    20,
  ),
  figureAtMost('remote p99 during local burst <= 5 ms', 'remote_p99_during_local_burst_ms', 'ms', 5),
  figureAtMost(
    'remote p99 during burst to 100 endpoints <= 5 ms',
    'remote_p99_during_local_burst_ms_100_endpoints',
    'ms',
    5,
  ),
];

/**
 * The heap growth after warm-up that the soak run accepts, per process, in MiB: heapUsed after a
 * full GC at the end of the last minute minus the same at the end of the first. In a steady run
 * the readings move by 0.1 to 0.2 MiB from minute to minute and code compiled as the run goes
 * adds up to about 0.5 MiB (heap snapshots show it); a leak of one small object per call, over
 * millions of calls, is far more than 2 MiB.
 */
export const SOAK_HEAP_GROWTH_LIMIT_MIB = 2;

/**
 * The goals of the soak run (`--soak`): throughput in its last minute >= 0.95x its first, and
 * no heap growth after warm-up beyond {@link SOAK_HEAP_GROWTH_LIMIT_MIB}, in the server child
 * and in the client child.
 */
export const SOAK_GOALS: readonly Goal[] = [
  atLeast('soak: last minute throughput >= 0.95x first', 'soak_last_vs_first_throughput', 0.95),
  figureAtMost(
    `soak: server heap growth after warm-up <= ${SOAK_HEAP_GROWTH_LIMIT_MIB} MiB`,
    'soak_server_heap_growth_mib',
    'MiB',
    SOAK_HEAP_GROWTH_LIMIT_MIB,
  ),
  figureAtMost(
    `soak: client heap growth after warm-up <= ${SOAK_HEAP_GROWTH_LIMIT_MIB} MiB`,
    'soak_client_heap_growth_mib',
    'MiB',
    SOAK_HEAP_GROWTH_LIMIT_MIB,
  ),
];

/** A goal with the measured ratio (or figure) and whether it is met. */
export type GoalResult = Goal & {
  readonly value: number | undefined;
  readonly met: boolean;
};

/** The measured value a goal is on: its ratio, or its figure. */
function goalValue(
  goal: Goal,
  ratios: Readonly<Record<string, number>>,
  figures: Readonly<Record<string, number>>,
): number | undefined {
  return 'ratio' in goal ? ratios[goal.ratio] : figures[goal.figure];
}

/**
 * Checks every goal of `goals` ({@link GOALS} by default) against `ratios` (and, for absolute
 * goals, `figures`); a value not measured does not meet its goal. With `measuredOnly` (a run of
 * selected scenarios), goals whose value was not measured are left out.
 */
export function checkGoals(
  ratios: Readonly<Record<string, number>>,
  measuredOnly = false,
  figures: Readonly<Record<string, number>> = {},
  goals: readonly Goal[] = GOALS,
): GoalResult[] {
  const checked = measuredOnly ? goals.filter((goal) => goalValue(goal, ratios, figures) !== undefined) : goals;
  return checked.map((goal) => {
    const value = goalValue(goal, ratios, figures);
    const met = value !== undefined && (goal.comparison === '>=' ? value >= goal.target : value <= goal.target);
    return { ...goal, value, met };
  });
}
