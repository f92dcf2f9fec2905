/**
 * The child's side of the benchmark's child processes: messages to the parent as
 * `MSG <json>` lines on stdout, commands from the parent as lines on stdin. A child started
 * with {@link runChild} exits when its stdin closes, so it never outlives the benchmark.
 */

let commandHandler: ((command: string) => unknown) | undefined;

/** Sends one message to the parent. */
export function send(message: unknown): void {
  process.stdout.write(`MSG ${JSON.stringify(message)}\n`);
}

/** Answers each command line from the parent with what `handle` returns (or resolves with). */
export function serveCommands(handle: (command: string) => unknown): void {
  commandHandler = handle;
}

function onCommand(command: string): void {
  const handle = commandHandler;
  if (handle === undefined) return send({ error: `not ready for ${command}` });
  Promise.resolve()
    .then(() => handle(command))
    .then(send, (error: unknown) => send({ error: String(error) }));
}

/** Reads command lines from stdin, and exits when the parent closes it (or dies). */
function listenToParent(): void {
  let input = '';
  process.stdin.on('data', (chunk: Buffer) => {
    input += chunk.toString('utf8');
    let newline: number;
    while ((newline = input.indexOf('\n')) >= 0) {
      const command = input.slice(0, newline).trim();
      input = input.slice(newline + 1);
      if (command !== '') onCommand(command);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

/** The process's CPU time so far (µs) and a wall-clock reading (ns, as a string). */
export interface CpuSnapshot {
  readonly userUs: number;
  readonly systemUs: number;
  readonly wallNs: string;
}

/** Reads the process's CPU time and the wall clock. */
export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  return { userUs: usage.user, systemUs: usage.system, wallNs: process.hrtime.bigint().toString() };
}

/** CPU used between two snapshots, as a percentage of one core. */
export function cpuPercent(before: CpuSnapshot, after: CpuSnapshot): number {
  const cpuUs = after.userUs + after.systemUs - before.userUs - before.systemUs;
  const wallUs = Number(BigInt(after.wallNs) - BigInt(before.wallNs)) / 1_000;
  return (cpuUs / wallUs) * 100;
}

/**
 * Runs a child's `main`: listens to the parent from the start (exiting when it goes away),
 * and prints a failure to stderr and exits with code 1.
 */
export function runChild(main: () => Promise<void>): void {
  listenToParent();
  main().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
