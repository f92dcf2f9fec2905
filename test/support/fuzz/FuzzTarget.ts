import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Codec, GatewayOf } from '@nact-rpc/core';
import { NactRpcService } from '@nact-rpc/runtime-nact';
import type { JsonLoggedError, JsonLogLine } from '../../fixtures/src/fuzzHooks';
import { AdminProtocol, EchoProtocol, type ServiceCallCounts } from '../../fixtures/src/protocols';
import { fixtureCodecNamed, type FixtureCodecName } from '../../fixtures/src/values';
import { ChildService, type ChildExit } from '../ChildService';
import { FUZZ_MAX_FRAME_SIZE } from './frames';

/** Text that shows an internal error: a JavaScript error of our own code, or a crash. */
const INTERNAL =
  /\b(TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError)\b|Cannot (read|set) properties|is not a function|is not iterable|is not a constructor|Maximum call stack|Internal error|uncaughtException|unhandledRejection/;

/** How long the well-behaved client waits for a silent service with its asks waiting: its ask timeout. */
const WELL_BEHAVED_PROBE_TIMEOUT_MS = 10_000;

/** The most failed well-behaved calls a report describes; the rest are counted. */
const MAX_RECORDED_FAILURES = 20;

/** What the well-behaved client saw while it called. */
export interface WellBehavedReport {
  readonly calls: number;
  /** What the first failed calls saw (at most {@link MAX_RECORDED_FAILURES}). */
  readonly failures: readonly string[];
  /** How many calls failed in all. */
  readonly failureCount: number;
  readonly slowestMs: number;
}

/**
 * Why a log line of the fuzzed service shows an internal error, or `undefined` for an expected
 * one. Expected: protocol errors (`error`, "Protocol error on the connection …" naming what is
 * malformed, and past ten in ten seconds, the line that counts the rest; the rest themselves at
 * `debug`), refused hellos and handshakes, dropped tells (`warn`), and a tell whose arguments
 * do not parse (`warn`, caused by the `SyntaxError` of `JSON.parse` of the peer's bytes, or the
 * codec's `TypeError` for an unknown format byte; the typed codec's refusal of a URL that does not
 * parse, caused by the `TypeError` of `new URL`, or a class it does not know, named in quotes as sent).
 * Anything else at `error`, a crash marker, or an error named TypeError, RangeError,
 * ReferenceError or SyntaxError (or "Cannot read properties", a stack overflow) is internal.
 */
/** An expected error-level line: a protocol error, or the count of those not logged one by one. */
const PROTOCOL_ERROR_LINE =
  /^(Protocol error on the connection with |\d+ more connections? (was|were) closed for protocol errors in )/;

export function internalErrorIn(line: JsonLogLine): string | undefined {
  if (line.level === 'fatal') return 'the process crashed';
  let text = line.message;
  for (let error: JsonLoggedError | undefined = line.error; error !== undefined; error = error.cause) {
    text += ` | ${error.name}: ${error.message}`;
  }
  if (line.message.includes('could not deserialize its arguments')) {
    // The peer's arguments are not JSON: JSON.parse's SyntaxError is the expected refusal.
    text = text.replace(/\bSyntaxError\b/g, 'parse error');
    // The codec's own refusal of an unknown format byte is a TypeError by design.
    if (/Cannot deserialize: unknown format byte \d+/.test(text)) text = text.replace(/\bTypeError\b/g, 'format error');
  }
  // The typed codec quotes the class name it does not know, which is the peer's text (`unknown class "RangeError"`).
  text = text.replace(/unknown class "(?:[^"\\]|\\.)*"/g, 'unknown class "…"');
  // The typed codec refuses a URL that does not parse, with the URL constructor's TypeError as the cause.
  if (/malformed typed input \(a URL: Invalid URL\)/.test(text)) {
    text = text.replace(/\bTypeError: Invalid URL\b/g, 'URL refusal: Invalid URL');
  }
  const internal = INTERNAL.exec(text);
  if (internal !== null) return `it shows an internal error (${internal[0]})`;
  if (/\((maxConnections|maxUnauthenticatedConnections)\)/.test(line.message)) {
    return 'the service refused a fuzz connection at a limit, so its input went untested';
  }
  if (line.level === 'error' && !PROTOCOL_ERROR_LINE.test(line.message)) {
    return 'an unexpected error-level line';
  }
  return undefined;
}

/** An error envelope as the codec decodes it from a ResponseError. */
interface ErrorEnvelope {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

function loggedError(envelope: unknown, depth = 0): JsonLoggedError | undefined {
  if (typeof envelope !== 'object' || envelope === null || depth > 8) return undefined;
  const { name, message, cause } = envelope as ErrorEnvelope;
  return { name: String(name), message: String(message), cause: loggedError(cause, depth + 1) };
}

/**
 * Why the error envelope a service answered an ask with shows an internal error (see
 * {@link internalErrorIn}), or `undefined` for an expected refusal.
 */
export function internalErrorInAnswer(envelope: unknown): string | undefined {
  const error = loggedError(envelope);
  if (error === undefined) return 'the error envelope is not an object';
  return internalErrorIn({ level: 'warn', message: error.message, error });
}

/**
 * The fuzzed service: a server process (test/fixtures/src/serverProcess.ts) that logs JSON lines
 * to a file, and a well-behaved client in this process that calls its echo endpoint without
 * pause while the properties run. {@link check} lists every way the service misbehaved since
 * the last check.
 */
export class FuzzTarget {
  private readonly problems: string[] = [];
  private readonly wellBehavedFailures: string[] = [];
  private wellBehavedCalls = 0;
  /** Every failed well-behaved call, recorded or not. */
  private wellBehavedFailureCount = 0;
  private slowestMs = 0;
  private calling = false;
  private loops: Promise<void>[] = [];
  private logOffset = 0;
  private logPartial = '';
  private linesRead = 0;
  private failuresReported = 0;
  private exit: ChildExit | undefined;
  /** How many lines the service logged, by level and the start of their message, for the report. */
  readonly logSummary = new Map<string, number>();

  private constructor(
    /** A codec like the service's (same class, same registrations), for the test's own encoding and decoding. */
    readonly codec: Codec,
    readonly server: ChildService,
    private readonly client: NactRpcService,
    private readonly echo: GatewayOf<typeof EchoProtocol>,
    private readonly admin: GatewayOf<typeof AdminProtocol>,
    private readonly directory: string,
    private readonly logFd: number,
  ) {
    void server.exited().then((exit) => {
      this.exit = exit;
    });
  }

  /** Starts the server process, using the fixture codec called `codecName`, and connects the well-behaved client. */
  static async start(codecName: FixtureCodecName = 'superjson'): Promise<FuzzTarget> {
    const directory = mkdtempSync(join(tmpdir(), 'nact-rpc-fuzz-'));
    const logFile = join(directory, 'server.jsonl');
    const server = await ChildService.start({
      name: 'fuzzed',
      logFile,
      codec: codecName,
      transport: { maxFrameSize: FUZZ_MAX_FRAME_SIZE },
    });
    const client = new NactRpcService({
      name: 'well-behaved',
      codec: fixtureCodecNamed(codecName),
      askTimeoutMs: 10_000,
      // A hostile input within the decode limits (a superjson set of 1,000,000 items) can hold
      // the service for over 3 s on a slow machine, the default probe timeout: the client would
      // declare it dead. What is tested is that every call succeeds, not how soon.
      transport: { probeTimeoutMs: WELL_BEHAVED_PROBE_TIMEOUT_MS },
    });
    const echo = await client.connect(server.address('echo'), EchoProtocol);
    const admin = await client.connect(server.address('admin'), AdminProtocol);
    const codec = fixtureCodecNamed(codecName);
    return new FuzzTarget(codec, server, client, echo, admin, directory, openSync(logFile, 'r'));
  }

  /** The port the service listens on. */
  get port(): number {
    return this.server.port;
  }

  /** Starts `concurrency` loops of the well-behaved client, each calling `echo` one call after another. */
  startWellBehavedClient(concurrency = 2): void {
    this.calling = true;
    this.loops = Array.from({ length: concurrency }, (_, loop) => this.callLoop(loop));
  }

  /** Stops the well-behaved client and reports what it saw. */
  async stopWellBehavedClient(): Promise<WellBehavedReport> {
    this.calling = false;
    await Promise.all(this.loops);
    return {
      calls: this.wellBehavedCalls,
      failures: [...this.wellBehavedFailures],
      failureCount: this.wellBehavedFailureCount,
      slowestMs: this.slowestMs,
    };
  }

  /**
   * Everything the service did wrong since the last check: the process exited, a log line shows
   * an internal error, a built-in prototype changed, a well-behaved call failed. It asks the
   * service for its log line count and prototype state, then reads the log up to that count,
   * so every line logged before the probe is seen.
   */
  async check(): Promise<string[]> {
    if (this.exit !== undefined) {
      this.problems.push(`the service exited (code ${this.exit.code}, signal ${this.exit.signal})`);
    } else {
      try {
        const probe = await this.admin.fuzzProbe();
        this.readLog(probe.logLines);
        for (const change of probe.prototypeChanges) this.problems.push(`prototype pollution: ${change}`);
      } catch (error) {
        this.readLog(Number.MAX_SAFE_INTEGER);
        this.problems.push(`the service did not answer its probe: ${String(error)}`);
      }
    }
    for (const failure of this.wellBehavedFailures.slice(this.failuresReported)) {
      this.problems.push(`a well-behaved call failed: ${failure}`);
    }
    this.failuresReported = this.wellBehavedFailures.length;
    return this.problems.splice(0);
  }

  /** The service's `pendingCallCounts()`: `served` counts that ask itself. */
  callCounts(): Promise<ServiceCallCounts> {
    return this.admin.pendingCallCounts();
  }

  /** Stops the client and the server process, and removes the log. */
  async stop(): Promise<void> {
    this.calling = false;
    await Promise.all(this.loops);
    await this.client.closeAsync();
    await this.server.kill();
    closeSync(this.logFd);
    rmSync(this.directory, { recursive: true, force: true });
  }

  /**
   * One loop of the well-behaved client. With the typed codec every other call echoes a rich
   * value (a Date, a Map, a BigInt: the codec's tagged format) rather than a number (its JSON
   * fast path), so that both of its decoders serve well-behaved calls while the fuzz runs.
   */
  private async callLoop(loop: number): Promise<void> {
    let value = loop * 1_000_000_000;
    const rich = this.codec.name === 'typed';
    while (this.calling) {
      value++;
      const started = Date.now();
      try {
        if (rich && value % 2 === 0) {
          const sent = [value, new Date(value), new Map([[value, BigInt(value)]])] as const;
          const answer = (await this.echo.echo(sent as never)) as unknown as typeof sent;
          const [number, date, map] = answer;
          if (
            number !== value ||
            !(date instanceof Date) ||
            date.getTime() !== value ||
            map.get(value) !== BigInt(value)
          ) {
            this.recordFailure(`echo([${value}, a Date, a Map]) answered ${inspect(answer)}`);
          }
        } else {
          const answer = await this.echo.echo(value);
          if (answer !== value) this.recordFailure(`echo(${value}) answered ${String(answer)}`);
        }
        this.wellBehavedCalls++;
      } catch (error) {
        this.recordFailure(`echo(${value}) failed: ${String(error)}`);
        if (this.exit !== undefined) return;
      }
      this.slowestMs = Math.max(this.slowestMs, Date.now() - started);
    }
  }

  /**
   * Keeps what a failed well-behaved call saw, up to {@link MAX_RECORDED_FAILURES} of them; past
   * that, counts it only. A loop whose calls all fail (its peer declared dead) must not grow
   * this process's memory without bound.
   */
  private recordFailure(failure: string): void {
    this.wellBehavedFailureCount++;
    if (this.wellBehavedFailures.length < MAX_RECORDED_FAILURES) this.wellBehavedFailures.push(failure);
  }

  /** Reads the log file up to `lines` lines (or its end), classifying each new line. */
  private readLog(lines: number): void {
    const chunk = Buffer.allocUnsafe(1 << 16);
    while (this.linesRead < lines) {
      const read = readSync(this.logFd, chunk, 0, chunk.length, this.logOffset);
      if (read === 0) break;
      this.logOffset += read;
      const parts = (this.logPartial + chunk.toString('utf8', 0, read)).split('\n');
      this.logPartial = parts.pop() ?? '';
      for (const text of parts) {
        this.linesRead++;
        const line = JSON.parse(text) as JsonLogLine;
        const key = `${line.level} ${line.message.split(' ').slice(0, 4).join(' ')}`;
        this.logSummary.set(key, (this.logSummary.get(key) ?? 0) + 1);
        const problem = internalErrorIn(line);
        if (problem !== undefined) this.problems.push(`${problem}: ${text.slice(0, 2_000)}`);
      }
    }
  }
}
