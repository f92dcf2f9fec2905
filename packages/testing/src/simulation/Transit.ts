import { RpcInvalidOptionError } from '@nact-rpc/core';
import type { SeededRandom } from './SeededRandom';

/** How the simulated network delays and cuts what it carries; every field has a default. */
export interface NetworkBehaviour {
  /** The delay of one segment, in ms, drawn uniformly between `min` and `max`. Default 1 to 10. */
  readonly latencyMs?:
    | {
        /** The shortest delay, in ms. */
        readonly min: number;
        /** The longest delay, in ms. */
        readonly max: number;
      }
    | undefined;
  /** The chance that a segment is delayed far longer than usual (a spike), from 0 to 1. Default 0.02. */
  readonly spikeChance?: number | undefined;
  /** The longest delay of a spike, in ms. Default 300. */
  readonly spikeMs?: number | undefined;
  /** The chance that a write is delivered in two or three pieces, from 0 to 1. Default 0.1. */
  readonly splitChance?: number | undefined;
}

/**
 * How what the simulated network carries travels, as its {@link NetworkBehaviour} says and its
 * seeded generator decides: the delay of each segment, and the segments a write is cut into.
 */
export class Transit {
  private readonly latency: { readonly min: number; readonly max: number };
  private readonly spikeChance: number;
  private readonly spikeMs: number;
  private readonly splitChance: number;

  /** @throws RpcInvalidOptionError naming a behaviour option that is out of range. */
  constructor(
    private readonly random: SeededRandom,
    behaviour: NetworkBehaviour,
  ) {
    this.latency = behaviour.latencyMs ?? { min: 1, max: 10 };
    this.spikeChance = behaviour.spikeChance ?? 0.02;
    this.spikeMs = behaviour.spikeMs ?? 300;
    this.splitChance = behaviour.splitChance ?? 0.1;
    this.check();
  }

  /** The delay of one segment, in ms. */
  delay(): number {
    const { min, max } = this.latency;
    if (this.random.chance(this.spikeChance)) return this.random.int(max, Math.max(max, this.spikeMs));
    return this.random.int(min, max);
  }

  /** `bytes` as the segments they travel in: most often whole, sometimes in two or three pieces. */
  segments(bytes: Buffer): Buffer[] {
    if (bytes.length < 2 || !this.random.chance(this.splitChance)) return [bytes];
    const cuts = new Set<number>();
    const pieces = this.random.int(2, Math.min(3, bytes.length));
    while (cuts.size < pieces - 1) cuts.add(this.random.int(1, bytes.length - 1));
    const at = [0, ...[...cuts].sort((x, y) => x - y), bytes.length];
    return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
  }

  private check(): void {
    const { latency, spikeMs } = this;
    const { min, max } = latency;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
      throw RpcInvalidOptionError.forValue(
        'latencyMs',
        latency,
        'whole numbers of ms with 0 <= min <= max',
        'SimulatedNetwork',
      );
    }
    for (const [option, value] of [
      ['spikeChance', this.spikeChance],
      ['splitChance', this.splitChance],
    ] as const) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        throw RpcInvalidOptionError.forValue(option, value, 'a number from 0 to 1', 'SimulatedNetwork');
      }
    }
    if (!Number.isInteger(spikeMs) || spikeMs < 0) {
      throw RpcInvalidOptionError.forValue('spikeMs', spikeMs, 'a whole number of ms >= 0', 'SimulatedNetwork');
    }
  }
}
