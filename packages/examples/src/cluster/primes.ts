/** The small job the cluster runs: counting the primes below a limit, in ranges. */

/** One task of the job: count the primes in `[from, to)`. */
export interface PrimeTask {
  readonly index: number;
  readonly from: number;
  readonly to: number;
}

/** The number of primes in `[from, to)`, by trial division. */
export function countPrimes(from: number, to: number): number {
  let count = 0;
  for (let n = Math.max(2, from); n < to; n++) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= n; divisor++) {
      if (n % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/** Splits `[0, taskCount × rangeSize)` into `taskCount` tasks. */
export function primeTasks(taskCount: number, rangeSize: number): PrimeTask[] {
  return Array.from({ length: taskCount }, (_, index) => ({
    index,
    from: index * rangeSize,
    to: (index + 1) * rangeSize,
  }));
}
