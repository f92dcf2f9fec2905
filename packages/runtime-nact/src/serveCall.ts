import { context as otelContext, SpanKind, trace, type Span } from '@opentelemetry/api';
import { RpcInvalidStateError, type IncomingCall, type ServeInterceptor } from '@nact-rpc/core';
import {
  CallScope,
  enterServedCall,
  exitServedCall,
  keepHiddenClass,
  NO_METADATA,
  runInCallScope,
  type InvocationMessage,
  type Outcome,
} from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
import type { RuntimeContext } from './RuntimeContext';
import { answerInvocation } from './answerInvocation';
import type { RpcFunction } from './buildMethodTable';
import { isPromiseLike } from './isPromiseLike';
import { enterTurn, exitTurn } from './mainThread';
import { endSpan } from './telemetry/endSpan';
import { contextOfCaller } from './telemetry/traceContext';
import { preciseNow, type Telemetry } from './telemetry/Telemetry';

/** What a service does around the calls its endpoints serve, when it does anything. */
export interface Serving {
  /** The service's serving interceptors, the first outermost. */
  readonly interceptors: readonly ServeInterceptor[];
  /** The service's instrumentation, if it has any. */
  readonly telemetry: Telemetry | undefined;
}

/**
 * Serves a call the slower way, when there is more to do than call the method (see
 * `invokeMethod`): inside the scope of its deadline, so that the calls its method makes after an
 * `await` inherit it; inside a server span that continues the caller's trace, with `queued` and
 * `started` events, and with the server's call metrics; and through the serving interceptors.
 * The method still runs in its endpoint's main thread, in this turn.
 */
export function serveCall(
  scope: ActorScope,
  fn: RpcFunction,
  message: InvocationMessage,
  args: readonly unknown[],
): void {
  new ServedInvocation(scope, fn, message, args).serve();
}

/**
 * One call served by {@link serveCall}: an object with methods rather than closures made per
 * call, which the bundle would name one by one (a property definition each, a tenth of the CPU
 * of calls with a deadline, measured).
 */
export class ServedInvocation {
  private readonly scope: ActorScope;
  private readonly fn: RpcFunction;
  private readonly message: InvocationMessage;
  private readonly args: readonly unknown[];
  private readonly serving: Serving | undefined;
  private readonly started: number;
  private readonly span: Span | undefined;
  private readonly callScope: CallScope | undefined;

  constructor(scope: ActorScope, fn: RpcFunction, message: InvocationMessage, args: readonly unknown[]) {
    this.scope = scope;
    this.fn = fn;
    this.message = message;
    this.args = args;
    this.serving = scope.context.serving;
    this.started = performance.now();
    const telemetry = this.serving?.telemetry;
    this.span = telemetry?.tracer === undefined ? undefined : startServerSpan(telemetry, scope, message);
    this.callScope = message.call?.deadline === undefined ? undefined : new CallScope(message);
  }

  /** Runs the method as a turn of the endpoint's main thread, and answers with what it returns, throws or settles to. */
  serve(): void {
    let result: unknown;
    const previousTurn = enterTurn(this.scope.turnOwner);
    const previousCall = enterServedCall(this.message);
    try {
      result = this.callScope === undefined ? this.inSpan() : runInCallScope(this.callScope, inSpanOf, this);
    } catch (error) {
      this.ended({ ok: false, error });
      return;
    } finally {
      exitServedCall(previousCall);
      exitTurn(previousTurn);
    }
    if (isPromiseLike(result)) {
      result.then(
        (value) => this.ended({ ok: true, value }),
        (error: unknown) => this.ended({ ok: false, error }),
      );
    } else {
      this.ended({ ok: true, value: result });
    }
  }

  /** Runs the method inside the call's server span, if it has one. */
  inSpan(): unknown {
    const { span } = this;
    if (span === undefined) return this.run();
    return otelContext.with(trace.setSpan(otelContext.active(), span), runOf, undefined, this);
  }

  /** Runs the method, through the serving interceptors if there are any. */
  run(): unknown {
    const { scope, fn, args } = this;
    const interceptors = this.serving?.interceptors ?? [];
    if (interceptors.length === 0) return Reflect.apply(fn, scope.endpoint, args);
    return intercept(interceptors, incomingCall(scope, this.message, args), () =>
      Reflect.apply(fn, scope.endpoint, args),
    );
  }

  /** The method returned, threw or settled: records the call and answers it. */
  private ended(outcome: Outcome): void {
    this.callScope?.release();
    const error = outcome.ok ? undefined : outcome.error;
    const { message, span } = this;
    this.serving?.telemetry?.metrics?.record(
      'server',
      message.protocol,
      message.method,
      performance.now() - this.started,
      error,
    );
    if (span !== undefined) endSpan(span, error);
    answerInvocation(this.scope, message, outcome);
  }
}

/** The scope of the invocation kept below: no endpoint's, and it is never served. */
const NO_SCOPE: ActorScope = {
  endpoint: {},
  context: { serving: undefined } as Pick<RuntimeContext, 'serving'> as RuntimeContext,
  turnOwner: {},
  endpointId: '',
  describe: () => '',
};

// An invocation lives for one call: one kept for good keeps their hidden class (see
// `keepHiddenClass`).
keepHiddenClass(
  new ServedInvocation(NO_SCOPE, () => undefined, { kind: 'invoke', protocol: '', method: '', args: [] }, []),
);

function inSpanOf(served: ServedInvocation): unknown {
  return served.inSpan();
}

function runOf(served: ServedInvocation): unknown {
  return served.run();
}

/** Runs `method` through `interceptors`, each of which must call its `next` before it returns. */
function intercept(interceptors: readonly ServeInterceptor[], call: IncomingCall, method: () => unknown): unknown {
  let open = true;
  const step = (index: number): unknown => {
    if (index === interceptors.length) return method();
    let called = false;
    return (interceptors[index] as ServeInterceptor)(call, () => {
      if (!open) {
        throw new RpcInvalidStateError(
          `An interceptor called next() for ${call.protocol}.${call.method} after it returned: call it before ` +
            `any await, so that the method runs in its endpoint's main thread.`,
        );
      }
      if (called)
        throw new RpcInvalidStateError(`An interceptor called next() twice for ${call.protocol}.${call.method}.`);
      called = true;
      return step(index + 1);
    });
  };
  try {
    return step(0);
  } finally {
    open = false;
  }
}

function incomingCall(scope: ActorScope, message: InvocationMessage, args: readonly unknown[]): IncomingCall {
  return {
    protocol: message.protocol,
    method: message.method,
    kind: message.replyTo === undefined ? 'tell' : 'ask',
    endpointId: scope.endpointId,
    args,
    metadata: message.call?.metadata ?? NO_METADATA,
    deadline: message.call?.deadline,
  };
}

function startServerSpan(telemetry: Telemetry, scope: ActorScope, message: InvocationMessage): Span {
  const call = message.call;
  const now = preciseNow();
  const queuedAt = call?.queuedAt ?? now;
  const span = (telemetry.tracer as NonNullable<Telemetry['tracer']>).startSpan(
    `${message.protocol}/${message.method}`,
    {
      kind: message.replyTo === undefined ? SpanKind.CONSUMER : SpanKind.SERVER,
      startTime: queuedAt,
      attributes: {
        'rpc.system': 'nact-rpc',
        'rpc.service': message.protocol,
        'rpc.method': message.method,
        'nact_rpc.endpoint': scope.endpointId,
        ...(call?.peer === undefined ? {} : { 'nact_rpc.peer': call.peer }),
      },
    },
    contextOfCaller(call?.traceparent, call?.tracestate),
  );
  span.addEvent('queued', undefined, queuedAt);
  span.addEvent('started', undefined, now);
  return span;
}
