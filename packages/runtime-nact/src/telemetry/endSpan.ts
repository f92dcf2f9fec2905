import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { messageOf } from '../messageOf';

/** Ends a call's span: with an error status and the exception recorded if the call failed with `error`. */
export function endSpan(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
    if (error instanceof Error) span.recordException(error);
  }
  span.end();
}
