import { context, SpanKind, type Span } from '@opentelemetry/api';
import type { AskMethod, TellMethod } from '@nact-rpc/core';
import { DelegatingInvoker, type GatewayInvoker, type OutgoingCallInfo } from '@nact-rpc/core/internal';
import { endSpan } from './endSpan';
import { preciseNow, type Telemetry } from './Telemetry';
import { traceHeaders } from './traceContext';

/**
 * The calling side's instrumentation of a gateway: a client span per call (`Protocol/method`,
 * child of the active context), whose trace context the call carries to the endpoint, and the
 * client's call metrics. It wraps the gateway's invoker only when the service has telemetry.
 */
export class TracingInvoker extends DelegatingInvoker {
  constructor(
    base: GatewayInvoker,
    private readonly protocolName: string,
    private readonly telemetry: Telemetry,
  ) {
    super(base);
  }

  tell(methodName: string, method: TellMethod<never>, args: unknown[], call?: OutgoingCallInfo): void {
    const span = this.startSpan(methodName, 'tell');
    this.base.tell(methodName, method, args, span === undefined ? call : withTrace(call, span));
    span?.end();
    this.telemetry.metrics?.record('client', this.protocolName, methodName, 0);
  }

  ask(
    methodName: string,
    method: AskMethod<never, unknown>,
    args: unknown[],
    timeoutMs: number | undefined,
    call?: OutgoingCallInfo,
  ): Promise<unknown> {
    const started = performance.now();
    const span = this.startSpan(methodName, 'ask');
    const answer = this.base.ask(
      methodName,
      method,
      args,
      timeoutMs,
      span === undefined ? call : withTrace(call, span),
    );
    const ended = (error?: unknown): void => {
      this.telemetry.metrics?.record('client', this.protocolName, methodName, performance.now() - started, error);
      if (span !== undefined) endSpan(span, error);
    };
    answer.then(() => ended(), ended);
    return answer;
  }

  private startSpan(methodName: string, kind: 'ask' | 'tell'): Span | undefined {
    return this.telemetry.tracer?.startSpan(
      `${this.protocolName}/${methodName}`,
      {
        kind: kind === 'ask' ? SpanKind.CLIENT : SpanKind.PRODUCER,
        attributes: {
          'rpc.system': 'nact-rpc',
          'rpc.service': this.protocolName,
          'rpc.method': methodName,
          'nact_rpc.endpoint': this.address,
          'server.address': this.hostname,
        },
      },
      context.active(),
    );
  }
}

/** `call` with the trace context of `span`, and the time it is queued (for a local endpoint's span). */
function withTrace(call: OutgoingCallInfo | undefined, span: Span): OutgoingCallInfo {
  return { ...call, ...traceHeaders(span.spanContext()), queuedAt: preciseNow() };
}
