/**
 * Property-based fuzzing (fast-check) of a live service in a child process: random bytes,
 * truncated frames, lying length prefixes, valid frames with mutated fields, malformed hellos
 * and handshakes, prototype-pollution payloads and decode-budget attacks, each written to the
 * service over a raw TCP connection. After every input the test asks the service for its log
 * line count and the state of its built-in prototypes and reads its JSON log up to that count:
 * the service must not exit, log an internal error (see `internalErrorIn`), or have a changed
 * `Object.prototype` (nor `Array.prototype`, `Function.prototype`, …), and a well-behaved
 * client calling its echo endpoint all along must see every call succeed.
 *
 * The properties run against a service with the default codec, then against one with
 * `TypedCodec`, whose own properties send hostile values in its tagged format ('T') and check
 * every answer against what the test's own copy of the codec makes of the same bytes.
 *
 * Environment:
 * - `NACT_RPC_FUZZ_RUNS`: inputs per property (default 250, a CI run of well under a minute;
 *   the full run is `NACT_RPC_FUZZ_RUNS=10000`, several minutes).
 * - `NACT_RPC_FUZZ_SEED` (and optionally `NACT_RPC_FUZZ_PATH`): replays a failing run; a
 *   failure prints both, with the shrunk counterexample and the first input that failed.
 *
 * See docs/fuzzing.md.
 */
import fc from 'fast-check';
import { WireKind } from '@nact-rpc/transport/internal';
import { stopAllChildren } from '../support/ChildService';
import {
  decodeBudgetArgs,
  hostileLength,
  malformedHelloText,
  MAX_FUZZ_CALL_ID,
  openAssociationPayload,
  pollutionText,
  superjsonPollutionText,
  validFrame,
  withFlippedBytes,
} from '../support/fuzz/arbitraries';
import {
  codecBytes,
  echoAsk,
  FORMAT_JSON,
  FORMAT_SUPERJSON,
  frame,
  frameDeclaring,
  handshakePayload,
  helloFrameWithText,
  pollutedDetails,
  requestPayload,
  validHelloBody,
} from '../support/fuzz/frames';
import { checkTypedAnswer, describeAnswer, errorName } from '../support/fuzz/echoAnswers';
import { FuzzTarget, internalErrorIn, internalErrorInAnswer, type WellBehavedReport } from '../support/fuzz/FuzzTarget';
import { destroyAllRawConnections, RawConnection } from '../support/fuzz/rawConnection';
import { hostileTypedArgs, typedCodecArgs, typedDecodeBudgetArgs } from '../support/fuzz/typedArbitraries';
import type { FixtureCodecName } from '../fixtures/src/values';

const RUNS = Number(process.env['NACT_RPC_FUZZ_RUNS'] ?? 250);
const SEED = process.env['NACT_RPC_FUZZ_SEED'] === undefined ? undefined : Number(process.env['NACT_RPC_FUZZ_SEED']);
const PATH = process.env['NACT_RPC_FUZZ_PATH'];
/** With `NACT_RPC_FUZZ_SURVEY=1` the properties do not stop at a failure: every distinct problem is collected and reported at the end. */
const SURVEY = process.env['NACT_RPC_FUZZ_SURVEY'] === '1';
/** Generous: a property's time is mostly its inputs; a hang is caught per input, far sooner. */
const PROPERTY_TIMEOUT_MS = 120_000 + RUNS * 300;
/** How long the server may take to close a connection or answer, per input. */
const ANSWER_MS = 5_000;
/** How long a decode-budget ask may take to be answered. */
const BUDGET_ANSWER_MS = 30_000;

let target: FuzzTarget;
let session: RawConnection | undefined;
let syncCallId = MAX_FUZZ_CALL_ID;
const budgetOutcomes = new Map<string, number>();
/** How the typed-codec properties' asks were answered, by kind, for the report. */
const typedOutcomes = new Map<string, number>();
/** The longest a decode-budget input of each kind took, from sending it to the answer of the echo ask after it. */
const budgetSlowest = new Map<string, number>();
/** In a survey: distinct problems (numbers left out), with their count and the first input that showed each. */
const survey = new Map<string, { count: number; input: string; problem: string }>();

/** The reused association of the properties that write on an open one. */
async function associated(): Promise<RawConnection> {
  if (session === undefined || session.closed) session = await RawConnection.associate(target.port, target.codec.name);
  return session;
}

/**
 * Writes `payloads` as frames on the open association, then a valid echo ask; waits for that
 * ask's answer (or the close the input caused), then for the answer to every ask in the input.
 * @returns What went wrong: an ask left unanswered, a wrong answer to the echo ask.
 */
async function sendOnAssociation(payloads: readonly Buffer[], answerMs = ANSWER_MS): Promise<string[]> {
  const connection = await associated();
  connection.frames.length = 0;
  const syncId = ++syncCallId;
  connection.write(Buffer.concat([...payloads.map(frame), echoAsk(syncId, syncId)]));
  const problems: string[] = [];
  const outcome = await connection.waitForAnswer(syncId, answerMs);
  if (outcome === 'timeout')
    problems.push(`the echo ask after the input was neither answered nor the connection closed`);
  const answer = connection.answer(syncId);
  if (answer !== undefined) {
    const value = answer.kind === WireKind.ResponseOk ? target.codec.decode(answer.payload.subarray(5)) : undefined;
    if (value !== syncId)
      problems.push(`the echo ask after the input was answered ${describeAnswer(target.codec, answer.payload)}`);
  }
  // Every ask is answered once, a cancelled one too: with RpcCancelledError, or with the answer
  // that crossed its Cancel frame.
  for (const payload of payloads) {
    const kind = payload[0];
    if ((kind !== WireKind.Request && kind !== WireKind.Handshake) || payload.length < 5) continue;
    const callId = payload.readUInt32BE(1);
    if (callId === 0) continue;
    if ((await connection.waitForAnswer(callId, answerMs)) === 'timeout') {
      problems.push(`ask ${callId} was never answered, and the connection is still open`);
    }
    const answer = connection.answer(callId);
    if (answer?.kind !== WireKind.ResponseError) continue;
    let internal: string | undefined;
    try {
      internal = internalErrorInAnswer(target.codec.decode(answer.payload.subarray(5)));
    } catch (error) {
      internal = `its error envelope does not decode (${String(error)})`;
    }
    if (internal !== undefined)
      problems.push(
        `ask ${callId} was answered with an error that ${internal}: ${describeAnswer(target.codec, answer.payload)}`,
      );
  }
  return problems;
}

/** Sends `args` to the echo endpoint: as an ask of `echo`, or a tell of `note`. */
function sendArgs(args: Uint8Array, ask: boolean): Promise<string[]> {
  const callId = ask ? 1 + (syncCallId % 1_000) : 0;
  return sendOnAssociation([requestPayload(callId, 'echo', 'EchoGateway', ask ? 'echo' : 'note', undefined, args)]);
}

/** Writes `bytes` on a fresh connection (after a valid hello if `afterHello`), half-closes it, and expects the server to close. */
async function sendOnFreshConnection(bytes: Uint8Array, afterHello: boolean): Promise<string[]> {
  const connection = afterHello
    ? await RawConnection.associate(target.port, target.codec.name)
    : await RawConnection.connect(target.port);
  connection.write(bytes);
  const closed = await connection.finish(ANSWER_MS);
  return [
    ...(closed ? [] : ['the server did not close a connection whose input had ended']),
    ...rejections(connection),
  ];
}

/** Writes a hello frame (`bytes`) on a fresh connection; the server must answer it or close the connection. */
async function sendHello(bytes: Uint8Array): Promise<string[]> {
  const connection = await RawConnection.connect(target.port);
  connection.write(bytes);
  const answered = (frame: { kind: number }): boolean =>
    frame.kind === WireKind.HelloAccept || frame.kind === WireKind.HelloReject;
  const outcome = await connection.waitFor(answered, ANSWER_MS);
  await connection.finish(ANSWER_MS);
  return [
    ...(outcome === 'timeout' ? ['the server neither answered the hello nor closed the connection'] : []),
    ...rejections(connection),
  ];
}

/**
 * The HelloRejects on `connection` whose reason shows an internal error: refusals while an
 * association opens are logged at a limited rate, but each is sent to the peer.
 */
function rejections(connection: RawConnection): string[] {
  return connection.frames.flatMap((frame) => {
    if (frame.kind !== WireKind.HelloReject) return [];
    const reason = frame.payload.subarray(1).toString('utf8');
    const internal = internalErrorIn({ level: 'warn', message: reason });
    return internal === undefined ? [] : [`a HelloReject ${internal}: ${reason.slice(0, 1_000)}`];
  });
}

/**
 * Checks `send` against `numRuns` inputs of `arbitrary`; after each, the service must show no
 * problem ({@link FuzzTarget.check}). A failure reports fast-check's seed, path and shrunk
 * counterexample, and the first input that failed (a polluted prototype stays polluted, so
 * later inputs fail too).
 */
async function fuzz<T>(
  arbitrary: fc.Arbitrary<T>,
  send: (input: T) => Promise<string[]>,
  numRuns = RUNS,
): Promise<void> {
  let first: string | undefined;
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const problems = [...(await send(input)), ...(await target.check())];
        if (problems.length === 0) return;
        if (SURVEY) {
          for (const problem of problems) {
            const key = `${expect.getState().currentTestName ?? ''}: ${problem.replace(/\d+/g, 'N').slice(0, 300)}`;
            const seen = survey.get(key) ?? { count: 0, input: fc.stringify(input).slice(0, 3_000), problem };
            survey.set(key, { ...seen, count: seen.count + 1 });
          }
          return;
        }
        first ??= `${fc.stringify(input)}\n  ${problems.join('\n  ')}`;
        throw new Error(problems.join('\n'));
      }),
      { numRuns, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n\nThe first input that failed: ${first ?? '(none)'}`, {
      cause: error,
    });
  }
}

/**
 * Sends decode-budget arguments (`what` describes them) to the echo endpoint, as an ask or a
 * tell; an ask must be answered `ok`, or refused with `RpcDecodeLimitError` or
 * `RpcSerializationError`, within {@link BUDGET_ANSWER_MS}. With the typed codec the answer must
 * also be the one the test's own codec predicts (see {@link checkTypedAnswer}).
 */
async function sendBudgetArgs(what: string, args: Buffer, ask: boolean): Promise<string[]> {
  const callId = ask ? 1 + (syncCallId % 1_000) : 0;
  const request = requestPayload(callId, 'echo', 'EchoGateway', ask ? 'echo' : 'note', undefined, args);
  const started = Date.now();
  const problems = await sendOnAssociation([request], BUDGET_ANSWER_MS);
  const kind = what.replace(/\d+/g, 'N');
  budgetSlowest.set(kind, Math.max(budgetSlowest.get(kind) ?? 0, Date.now() - started));
  const answer = ask ? session?.answer(callId) : undefined;
  if (answer !== undefined) {
    const outcome = answer.kind === WireKind.ResponseOk ? 'ok' : errorName(target.codec, answer.payload);
    const key = `${kind}: ${outcome.slice(0, 60)}`;
    budgetOutcomes.set(key, (budgetOutcomes.get(key) ?? 0) + 1);
    if (outcome !== 'ok' && !/RpcDecodeLimitError|RpcSerializationError/.test(outcome)) {
      problems.push(`${what} was answered with ${outcome}`);
    }
    if (target.codec.name === 'typed') problems.push(...checkTypedAnswer(target.codec, args, answer, typedOutcomes));
  }
  return problems;
}

/** Sends typed-codec arguments to the echo endpoint (an ask or a tell); an ask's answer is checked by {@link checkTypedAnswer}. */
async function sendTypedArgs(args: Buffer, ask: boolean): Promise<string[]> {
  const callId = ask ? 1 + (syncCallId % 1_000) : 0;
  const problems = await sendOnAssociation([
    requestPayload(callId, 'echo', 'EchoGateway', ask ? 'echo' : 'note', undefined, args),
  ]);
  if (!ask) return problems;
  const answer = session?.answer(callId);
  if (answer === undefined) {
    problems.push('the ask was not answered: the service closed the association over bad arguments');
    return problems;
  }
  return [...problems, ...checkTypedAnswer(target.codec, args, answer, typedOutcomes)];
}

/**
 * What the properties of one service saw: the well-behaved client's calls, the decode-budget
 * answers, the service's log; fails on a failed call, a problem left in the log or (in a
 * survey) any problem collected. Starts the next service's count afresh.
 */
async function finalReport(): Promise<void> {
  const report: WellBehavedReport = await target.stopWellBehavedClient();
  const problems = await target.check();
  process.stdout.write(
    `fuzz (${target.codec.name} codec): ${RUNS} inputs per property; well-behaved calls ${report.calls}, failures ${report.failureCount}, slowest ${report.slowestMs} ms\n` +
      `fuzz: decode-budget answers ${JSON.stringify(Object.fromEntries(budgetOutcomes), null, 1)}\n` +
      `fuzz: slowest decode-budget inputs (ms) ${JSON.stringify(Object.fromEntries(budgetSlowest), null, 1)}\n` +
      (typedOutcomes.size > 0
        ? `fuzz: typed arguments answered ${JSON.stringify(Object.fromEntries(typedOutcomes), null, 1)}\n`
        : '') +
      `fuzz: service log ${JSON.stringify(Object.fromEntries(target.logSummary), null, 1)}\n`,
  );
  if (survey.size > 0) process.stdout.write(`fuzz: survey ${JSON.stringify([...survey.values()], null, 1)}\n`);
  const surveyed = [...survey.keys()];
  budgetOutcomes.clear();
  budgetSlowest.clear();
  typedOutcomes.clear();
  survey.clear();
  expect(surveyed).toEqual([]);
  expect(problems).toEqual([]);
  expect(report.failures).toEqual([]);
  expect(report.calls).toBeGreaterThan(0);
}

/** Starts the fuzzed service with the codec called `codecName` before a describe block's properties, and stops it after. */
function fuzzedService(codecName: FixtureCodecName): void {
  beforeAll(async () => {
    session = undefined;
    target = await FuzzTarget.start(codecName);
    target.startWellBehavedClient();
  }, 30_000);

  afterAll(async () => {
    destroyAllRawConnections();
    session = undefined;
    await target?.stop();
    await stopAllChildren();
  }, 30_000);
}

describe('fuzzing a live service in a child process', () => {
  fuzzedService('superjson');

  test(
    'random bytes, before and after the hello',
    () =>
      fuzz(
        fc.record({
          afterHello: fc.boolean(),
          bytes: fc.oneof(
            fc.uint8Array({ maxLength: 512 }),
            fc.uint8Array({ maxLength: 64 }).map((payload) => frame(payload)),
          ),
        }),
        ({ afterHello, bytes }) => sendOnFreshConnection(bytes, afterHello),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'truncated valid frames: hello, request, handshake',
    () =>
      fuzz(fc.tuple(validFrame, fc.nat()), ([{ kind, bytes }, cut]) =>
        sendOnFreshConnection(bytes.subarray(0, cut % bytes.length), kind !== 'hello'),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'hostile length prefixes: 0, 1, huge, around maxFrameSize, longer than what is sent',
    () =>
      fuzz(
        fc
          .tuple(
            fc.boolean(),
            fc.oneof(
              fc.uint8Array({ maxLength: 64 }),
              validFrame.map(({ bytes }) => bytes.subarray(4)),
            ),
          )
          .chain(([afterHello, payload]) =>
            hostileLength(payload.length).map((declared) => ({ afterHello, declared, payload })),
          ),
        ({ afterHello, declared, payload }) => sendOnFreshConnection(frameDeclaring(declared, payload), afterHello),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'valid frames with mutated fields on an open association',
    () =>
      fuzz(
        fc.array(fc.oneof({ weight: 3, arbitrary: openAssociationPayload }, withFlippedBytes(openAssociationPayload)), {
          minLength: 1,
          maxLength: 3,
        }),
        (payloads) => sendOnAssociation(payloads),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'malformed hellos: wrong magic, version or codec, missing and wrong-typed fields, huge strings, non-objects',
    () =>
      fuzz(
        fc.tuple(
          malformedHelloText,
          fc.constantFrom<number>(
            WireKind.Hello,
            WireKind.Hello,
            WireKind.Hello,
            WireKind.HelloAccept,
            WireKind.HelloReject,
          ),
        ),
        ([text, kind]) => sendHello(helloFrameWithText(text, kind)),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'prototype-pollution payloads in the hello, handshake details and plain-JSON arguments',
    () =>
      fuzz(
        fc.oneof(
          pollutionText.map((text) => ({ where: 'hello' as const, text })),
          fc
            .tuple(pollutionText, fc.constantFrom('methods', 'protocol', 'details', 'method'))
            .map(([text, at]) => ({ where: 'handshake' as const, text: pollutedDetails(text, at) })),
          fc
            .tuple(pollutionText, fc.boolean())
            .map(([text, ask]) => ({ where: 'args' as const, ask, args: codecBytes(FORMAT_JSON, `[${text}]`) })),
        ),
        async (input) => {
          switch (input.where) {
            case 'hello': {
              const body = JSON.stringify(validHelloBody()).replace(
                /^\{/,
                `{"__proto__":${input.text},"x":${input.text},`,
              );
              return sendHello(helloFrameWithText(body));
            }
            case 'handshake':
              return sendOnAssociation([handshakePayload(1 + (syncCallId % 1_000), 'echo', undefined, input.text)]);
            case 'args':
              return sendArgs(input.args, input.ask);
          }
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  // Fails until the codec checks superjson's meta before superjson applies it: paths that lead
  // nowhere make superjson throw a TypeError (`{"json":{},"meta":{"values":{"a":["Error"]}}}`)
  // or overflow the stack (`{"json":{},"meta":{"values":{"a.b.c":["custom","Buffer"]}}}`,
  // about 13 ms of CPU for 60 bytes); the service refuses the call, but with the internal error.
  test(
    'superjson arguments (S format) whose meta walks prototype keys and paths that lead nowhere',
    () =>
      fuzz(fc.tuple(superjsonPollutionText, fc.boolean()), ([text, ask]) =>
        sendArgs(codecBytes(FORMAT_SUPERJSON, text), ask),
      ),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'decode-budget attacks: huge bigints, deep nesting, huge arrays; the service stays responsive and answers every ask',
    () => fuzz(fc.tuple(decodeBudgetArgs, fc.boolean()), ([{ what, args }, ask]) => sendBudgetArgs(what, args, ask)),
    PROPERTY_TIMEOUT_MS,
  );

  test('the well-behaved client saw every call succeed, and the log holds no internal error', () => finalReport());
});

/**
 * The properties for a service that uses `TypedCodec`: hostile bytes in its tagged format ('T')
 * and its JSON fast path ('J'). Each ask is checked against what the test's own copy of the codec
 * makes of the same bytes: the echoed argument, byte for byte, or the same refusal, which must
 * name what was wrong.
 */
describe('fuzzing a live service that uses TypedCodec', () => {
  fuzzedService('typed');

  test(
    'typed arguments: hand-built from every tag, valid encodings mutated, random bytes, JSON pollution',
    () => fuzz(fc.tuple(typedCodecArgs, fc.boolean()), ([args, ask]) => sendTypedArgs(args, ask)),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'typed arguments on fresh associations, several to a frame batch, and in truncated frames',
    () =>
      fuzz(fc.tuple(fc.array(hostileTypedArgs, { minLength: 1, maxLength: 3 }), fc.nat()), async ([argsList, cut]) => {
        const frames = Buffer.concat(
          argsList.map((args, i) => frame(requestPayload(1 + i, 'echo', 'EchoGateway', 'echo', undefined, args))),
        );
        return sendOnFreshConnection(frames.subarray(0, frames.length - (cut % 8)), true);
      }),
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'typed decode-budget attacks: at and over every limit, deep nesting in every collection, huge counts',
    () =>
      fuzz(fc.tuple(typedDecodeBudgetArgs, fc.boolean()), ([{ what, args }, ask]) => sendBudgetArgs(what, args, ask)),
    PROPERTY_TIMEOUT_MS,
  );

  test('the well-behaved client saw every call succeed, and the log holds no internal error', () => finalReport());
});
