import { checkCallMetadata, describeReceivedValue } from '@nact-rpc/core/internal';

export {
  checkCallMetadata,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_BYTES,
  MAX_METADATA_TOTAL_BYTES,
  MAX_METADATA_VALUE_BYTES,
  METADATA_KEY_PATTERN,
} from '@nact-rpc/core/internal';
import type { WireCallInfo } from './WireMessage';

/**
 * The bounds of the per-call information a Request carries (its {@link WireCallInfo}): the one
 * place that defines them. The caller checks the metadata it is given with
 * {@link checkCallMetadata}, the encoder and the decoder check a whole call info with
 * {@link checkCallInfo}, so that both sides refuse the same things.
 */

/** The longest `tracestate`, in UTF-8 bytes. */
export const MAX_TRACESTATE_BYTES = 512;
/** The largest `deadlineMs` the wire carries (u32); a longer time is sent as this. */
export const MAX_DEADLINE_MS = 0xffff_ffff;

/** What a `traceparent` must look like (W3C Trace Context: version, trace id, parent id, flags). */
export const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Checks a whole call info against the bounds: `deadlineMs` a number (not NaN), `traceparent`
 * matching {@link TRACEPARENT_PATTERN}, `tracestate` a string of at most
 * {@link MAX_TRACESTATE_BYTES} bytes, and the metadata (see {@link checkCallMetadata}); each
 * may be absent.
 * @returns A sentence saying what is wrong (naming the field or key), or `undefined`.
 */
export function checkCallInfo(call: WireCallInfo): string | undefined {
  const { deadlineMs, traceparent, tracestate, metadata } = call;
  if (deadlineMs !== undefined && (typeof deadlineMs !== 'number' || Number.isNaN(deadlineMs))) {
    return `deadlineMs is ${describeReceivedValue(deadlineMs)}, not a number of milliseconds`;
  }
  if (traceparent !== undefined && (typeof traceparent !== 'string' || !TRACEPARENT_PATTERN.test(traceparent))) {
    return `traceparent is ${describeReceivedValue(traceparent)}, not a W3C traceparent (version-traceid-parentid-flags in lower-case hex)`;
  }
  if (tracestate !== undefined) {
    if (typeof tracestate !== 'string') return `tracestate is ${describeReceivedValue(tracestate)}, not a string`;
    const bytes = Buffer.byteLength(tracestate, 'utf8');
    if (bytes > MAX_TRACESTATE_BYTES) return `tracestate is ${bytes} bytes, over the limit of ${MAX_TRACESTATE_BYTES}`;
  }
  return checkCallMetadata(metadata);
}

/** The whole milliseconds of `deadlineMs` as the wire carries them: rounded up, within 0..{@link MAX_DEADLINE_MS}. */
export function wireDeadlineMs(deadlineMs: number): number {
  if (!(deadlineMs > 0)) return 0;
  return deadlineMs >= MAX_DEADLINE_MS ? MAX_DEADLINE_MS : Math.ceil(deadlineMs);
}
