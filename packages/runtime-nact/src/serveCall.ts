import { context as otelContext, SpanKind, trace, type Span } from '@opentelemetry/api';
import { RpcInvalidStateError, type IncomingCall, type ServeInterceptor } from '@nact-rpc/core';
import {
  CallScope,
  enterServedCall,
  exitServedCall,
  NO_METADATA,
  runInCallScope,
  type InvocationMessage,
  type Outcome,
} from '@nact-rpc/core/internal';
import type { ActorScope } from './ActorScope';
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
  const serving = scope.context.serving;
  const telemetry = serving?.telemetry;
  const started = performance.now();
  const span = telemetry?.tracer === undefined ? undefined : startServerSpan(telemetry, scope, message);
  const deadline = message.call?.deadline;
  const callScope = deadline === undefined ? undefined : new CallScope(message);
  const ended = (outcome: Outcome): void => {
    callScope?.release();
    const error = outcome.ok ? undefined : outcome.error;
    telemetry?.metrics?.record('server', message.protocol, message.method, performance.now() - started, error);
    if (span !== undefined) endSpan(span, error);
    answerInvocation(scope, message, outcome);
  };
  const interceptors = serving?.interceptors ?? [];
  const run = (): unknown =>
    interceptors.length === 0
      ? Reflect.apply(fn, scope.endpoint, args)
      : intercept(interceptors, incomingCall(scope, message, args), () => Reflect.apply(fn, scope.endpoint, args));
  const inSpan = span === undefined ? run : () => otelContext.with(trace.setSpan(otelContext.active(), span), run);
  const inScope = callScope === undefined ? inSpan : () => runInCallScope(callScope, inSpan);

  let result: unknown;
  const previousTurn = enterTurn(scope.turnOwner);
  const previousCall = enterServedCall(message);
  try {
    result = inScope();
  } catch (error) {
    ended({ ok: false, error });
    return;
  } finally {
    exitServedCall(previousCall);
    exitTurn(previousTurn);
  }
  if (isPromiseLike(result)) {
    result.then(
      (value) => ended({ ok: true, value }),
      (error: unknown) => ended({ ok: false, error }),
    );
  } else {
    ended({ ok: true, value: result });
  }
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
