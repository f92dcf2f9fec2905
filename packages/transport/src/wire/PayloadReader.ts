import { keepHiddenClass, utf8Text } from '@nact-rpc/core/internal';
import type { FencingToken } from '@nact-rpc/core';
import { WireFormatError } from './WireFormatError';
import { checkCallInfo, MAX_METADATA_ENTRIES } from './callInfoLimits';
import {
  CALL_DEADLINE,
  CALL_FLAGS_KNOWN,
  CALL_METADATA,
  CALL_TRACEPARENT,
  CALL_TRACESTATE,
  STRING_LENGTH_BYTES,
  TOKEN_BIGINT,
  TOKEN_NONE,
  TOKEN_NUMBER,
  TOKEN_STRING,
} from './wireFormat';
import type { WireCallInfo } from './WireMessage';
import type { NameCache } from './NameCache';

/**
 * Reads a frame payload front to back, failing with a {@link WireFormatError} past its end:
 * every read is bounds-checked, and every field it returns validated.
 */
export class PayloadReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    const start = this.stringStart();
    return utf8Text(this.buffer, start, this.offset);
  }

  /** A string that is a name (endpoint id, protocol, method), read through `names`. */
  name(names: NameCache): string {
    const start = this.stringStart();
    return names.text(this.buffer, start, this.offset);
  }

  /** Reads a string's length and moves past its bytes; returns where they start. */
  private stringStart(): number {
    this.need(STRING_LENGTH_BYTES);
    const length = this.buffer.readUInt16BE(this.offset);
    this.offset += STRING_LENGTH_BYTES;
    this.need(length);
    const start = this.offset;
    this.offset += length;
    return start;
  }

  token(): FencingToken | undefined {
    const type = this.u8();
    switch (type) {
      case TOKEN_NONE:
        return undefined;
      case TOKEN_STRING:
        return this.string();
      case TOKEN_NUMBER: {
        const text = this.string();
        const value = Number(text);
        if (text.trim() === '' || Number.isNaN(value)) {
          throw new WireFormatError(`malformed number fencing token ${JSON.stringify(text)}`);
        }
        return value;
      }
      case TOKEN_BIGINT: {
        const text = this.string();
        if (!/^-?\d+$/.test(text)) throw new WireFormatError(`malformed bigint fencing token ${JSON.stringify(text)}`);
        return BigInt(text);
      }
      default:
        throw new WireFormatError(`unknown fencing token type ${type}`);
    }
  }

  /** The flags byte of a request and the call-info sections it announces; `undefined` for flags 0. */
  callInfo(): WireCallInfo | undefined {
    const flags = this.u8();
    if (flags === 0) return undefined;
    if ((flags & ~CALL_FLAGS_KNOWN) !== 0) {
      throw malformedCallInfo(`unknown flag bits 0x${(flags & ~CALL_FLAGS_KNOWN).toString(16).padStart(2, '0')}`);
    }
    const call: { -readonly [K in keyof WireCallInfo]: WireCallInfo[K] } = {};
    if ((flags & CALL_DEADLINE) !== 0) call.deadlineMs = this.u32();
    if ((flags & CALL_TRACEPARENT) !== 0) call.traceparent = this.string();
    if ((flags & CALL_TRACESTATE) !== 0) call.tracestate = this.string();
    if ((flags & CALL_METADATA) !== 0) call.metadata = this.metadata();
    const problem = checkCallInfo(call);
    if (problem !== undefined) throw malformedCallInfo(problem);
    return call;
  }

  /** A metadata section: a count, then key and value strings, into an object without a prototype. */
  private metadata(): Record<string, string> {
    const count = this.u8();
    if (count > MAX_METADATA_ENTRIES) {
      throw malformedCallInfo(`metadata has ${count} entries, over the limit of ${MAX_METADATA_ENTRIES}`);
    }
    const metadata = Object.create(null) as Record<string, string>;
    for (let index = 0; index < count; index++) {
      const key = this.string();
      const value = this.string();
      if (Object.hasOwn(metadata, key)) throw malformedCallInfo(`metadata key ${JSON.stringify(key)} appears twice`);
      metadata[key] = value;
    }
    return metadata;
  }

  json(): unknown {
    const text = this.rest().toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      throw new WireFormatError('malformed JSON body');
    }
  }

  rest(): Buffer {
    const rest = this.buffer.subarray(this.offset);
    this.offset = this.buffer.length;
    return rest;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new WireFormatError('truncated frame');
  }
}

function malformedCallInfo(problem: string): WireFormatError {
  return new WireFormatError(`malformed call info: ${problem}`);
}

// A reader lives for one frame: one kept for good keeps their hidden class (see `keepHiddenClass`).
keepHiddenClass(new PayloadReader(Buffer.alloc(0)));
