import { connect, type Socket } from 'node:net';
import { FRAME_HEADER_BYTES, WireKind } from '@nact-rpc/transport/internal';
import { validHelloFrame } from './frames';

/** A frame the server sent: its kind and payload (kind byte included). */
export interface ReceivedFrame {
  readonly kind: number;
  readonly payload: Buffer;
  /** The call id of a response frame, else `undefined`. */
  readonly callId: number | undefined;
}

/** How a wait ended. */
export type WaitOutcome = 'frame' | 'closed' | 'timeout';

const open = new Set<RawConnection>();

/**
 * A bare TCP connection to the fuzzed service on which a test writes arbitrary bytes and reads
 * back the frames the server sends. Every connection is tracked, so that
 * {@link destroyAllRawConnections} can close those a failed test leaves behind.
 */
export class RawConnection {
  /** Every frame received so far, in order. */
  readonly frames: ReceivedFrame[] = [];
  private buffered: Buffer = Buffer.alloc(0);
  private isClosed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: Socket) {
    open.add(this);
    // The server resets connections it refuses; that is an expected outcome, not a failure.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.isClosed = true;
      open.delete(this);
      this.notify();
    });
  }

  /** Connects to 127.0.0.1:`port`. */
  static async connect(port: number): Promise<RawConnection> {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    const connection = new RawConnection(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return connection;
  }

  /**
   * Connects and opens an association: sends the one valid hello ({@link validHelloFrame}) and
   * waits for the server's HelloAccept. (Authentication, when the fuzzed service uses it, goes
   * here too.)
   * @param codecName - The fuzzed service's codec, which the hello names (default superjson's).
   * @throws Error if the server does not accept the hello within `timeoutMs`.
   */
  static async associate(port: number, codecName?: string, timeoutMs = 5_000): Promise<RawConnection> {
    const connection = await RawConnection.connect(port);
    connection.write(validHelloFrame(codecName));
    const outcome = await connection.waitFor((frame) => frame.kind === WireKind.HelloAccept, timeoutMs);
    if (outcome !== 'frame') {
      connection.destroy();
      throw new Error(`the fuzzed service did not accept a valid hello (${outcome})`);
    }
    return connection;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Writes bytes (ignored once closed). */
  write(bytes: Uint8Array): void {
    if (!this.isClosed && bytes.length > 0) this.socket.write(bytes);
  }

  /**
   * Waits until a frame received (now or before) matches `predicate`, the connection closes, or
   * `timeoutMs` pass.
   */
  waitFor(predicate: (frame: ReceivedFrame) => boolean, timeoutMs: number): Promise<WaitOutcome> {
    return this.waitUntil(() => {
      if (this.frames.some(predicate)) return 'frame';
      return this.isClosed ? 'closed' : undefined;
    }, timeoutMs);
  }

  /** Waits for the answer (ResponseOk or ResponseError) to `callId`. */
  waitForAnswer(callId: number, timeoutMs: number): Promise<WaitOutcome> {
    return this.waitFor((frame) => frame.callId === callId, timeoutMs);
  }

  /** The answer to `callId`, if one arrived. */
  answer(callId: number): ReceivedFrame | undefined {
    return this.frames.find((frame) => frame.callId === callId);
  }

  /**
   * Half-closes the connection (the server then sees the end of its input, after every byte
   * written before) and waits until the server has closed it too.
   * @returns Whether it closed within `timeoutMs`; it is destroyed either way.
   */
  async finish(timeoutMs: number): Promise<boolean> {
    if (!this.isClosed) this.socket.end();
    const outcome = await this.waitUntil(() => (this.isClosed ? 'closed' : undefined), timeoutMs);
    this.destroy();
    return outcome === 'closed';
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private waitUntil(check: () => WaitOutcome | undefined, timeoutMs: number): Promise<WaitOutcome> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter = (): void => {
        const outcome = check();
        if (outcome === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve('timeout');
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private receive(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    let received = false;
    while (this.buffered.length >= FRAME_HEADER_BYTES) {
      const length = this.buffered.readUInt32BE(0);
      if (this.buffered.length < FRAME_HEADER_BYTES + length) break;
      const payload = this.buffered.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length);
      this.buffered = this.buffered.subarray(FRAME_HEADER_BYTES + length);
      const kind = payload[0] ?? -1;
      const isResponse = (kind === WireKind.ResponseOk || kind === WireKind.ResponseError) && payload.length >= 5;
      this.frames.push({ kind, payload, callId: isResponse ? payload.readUInt32BE(1) : undefined });
      received = true;
    }
    if (received) this.notify();
  }
}

/** Destroys every raw connection still open. */
export function destroyAllRawConnections(): void {
  for (const connection of open) connection.destroy();
  open.clear();
}
