import { spawn, type ChildProcess } from 'node:child_process';

/** One command of the consumer test: what runs, where, and how long it may take. */
export interface Step {
  /** The program: an absolute path, or a name on the PATH (`npm`). */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Killed (with its process group) after this long; the step then fails with its output so far. */
  readonly timeoutMs: number;
}

/** What a finished step printed. */
export interface StepOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A step that failed. Its message holds the command line, the directory, how it ended and
 * everything it printed: that message is all a red CI log shows of the consumer project.
 */
export class StepFailedError extends Error {
  constructor(
    readonly step: Step,
    readonly reason: string,
    readonly output: StepOutput,
  ) {
    super(describeFailure(step, reason, output));
    this.name = 'StepFailedError';
    // No frames: where in this harness the step was awaited says nothing; the message says it all.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Children still running, so that {@link killRunningSteps} can end them if the suite is torn down early. */
const running = new Set<ChildProcess>();

/**
 * Runs a step to completion and resolves with its output; rejects with a
 * {@link StepFailedError} if it exits non-zero, is killed by a signal or times out. The
 * promise settles only once the process has exited: no child outlives its step.
 */
export function runStep(step: Step): Promise<StepOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, [...step.args], {
      cwd: step.cwd,
      env: consumerEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that a timeout ends its children (jest workers) too.
      detached: process.platform !== 'win32',
      shell: process.platform === 'win32',
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, step.timeoutMs);
    child.once('error', (error) => {
      // spawn failed (no such program); 'close' still follows.
      stderr += `\n${String(error)}`;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const output = { stdout, stderr };
      if (timedOut) reject(new StepFailedError(step, `timed out after ${step.timeoutMs} ms and was killed`, output));
      else if (code !== 0)
        reject(new StepFailedError(step, signal === null ? `exit code ${code}` : `killed by ${signal}`, output));
      else resolve(output);
    });
  });
}

/** Kills every step still running (the suite's `afterAll` calls it, before removing the temp dir). */
export function killRunningSteps(): void {
  for (const child of running) killTree(child);
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * The environment of every step: this process's, without what jest and `npm test` put there
 * for themselves. A nested jest would otherwise believe it is one of our workers, and npm
 * would read the repository's package and prefix from `npm_package_*` / `npm_config_local_prefix`.
 * Colours are off so that the output reads well in a log.
 */
function consumerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(JEST_|npm_package_|npm_lifecycle_|INIT_CWD$|npm_command$|npm_config_(local_prefix|workspaces?|call)$)/.test(
        name,
      )
    )
      continue;
    env[name] = value;
  }
  delete env.NODE_OPTIONS;
  env.FORCE_COLOR = '0';
  env.NO_COLOR = '1';
  return env;
}

const MAX_OUTPUT_CHARS = 12_000;

function describeFailure(step: Step, reason: string, output: StepOutput): string {
  return [
    `Consumer step failed (${reason}):`,
    `  $ ${[step.command, ...step.args].map(quote).join(' ')}`,
    `  in ${step.cwd}`,
    `  stdout:`,
    quoteOutput(output.stdout),
    `  stderr:`,
    quoteOutput(output.stderr),
  ].join('\n');
}

/**
 * The output as a quoted block: colour codes removed, every line behind `| ` (jest would
 * otherwise take the child's `    at ...` lines for the stack of our error and move them), and
 * only the start (the command's own report) and the end (its summary) of long output.
 */
/** Terminal colour and cursor sequences, which a CI log shows as noise. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*[A-Za-z]`, 'g');

function quoteOutput(text: string): string {
  let plain = text.replace(ANSI_ESCAPE, '').trimEnd();
  if (plain.length === 0) return '  | (nothing)';
  if (plain.length > MAX_OUTPUT_CHARS) {
    const half = MAX_OUTPUT_CHARS / 2;
    plain = `${plain.slice(0, half)}\n[... ${plain.length - MAX_OUTPUT_CHARS} characters left out ...]\n${plain.slice(-half)}`;
  }
  return plain
    .split('\n')
    .map((line) => `  | ${line}`)
    .join('\n');
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
