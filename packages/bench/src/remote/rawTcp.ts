/**
 * The raw TCP baseline: a length-prefixed JSON echo ({@link frameWriter}, {@link FrameReader}).
 * The server echoes each `{ id, payload }` frame; the client keeps its pending calls by id in
 * nact-rpc's own `IntMap`, as nact-rpc does: a `Map` with an entry per call costs the collector
 * far more (see `IntMap`). Three variants differ only in how both sides write ({@link WriteMode}): scenarios
 * `remote_raw_tcp_<n>` (batched per event-loop turn), `remote_raw_tcp_corked_<n>` and
 * `remote_raw_tcp_naive_<n>` run them with n calls in flight, each against its own server.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { IntMap } from '@nact-rpc/core/internal';
import { closedLoop } from '../measure';
import { checkEcho, makePayload, type Payload } from '../payload';
import type { Scenario } from '../scenario';
import { FrameReader, frameWriter, type FrameSender, type WriteMode } from './frames';

interface EchoFrame {
  readonly id: number;
  readonly payload: Payload;
}

/**
 * Echoes every frame read from `socket` back to it (the server's side of a connection), writing
 * as `mode` says (batched by default).
 */
export function serveEcho(socket: Socket, mode: WriteMode = 'batched'): void {
  socket.setNoDelay(true);
  const writer = frameWriter(socket, mode);
  const reader = new FrameReader((frame) => writer.send(frame));
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('error', () => socket.destroy());
}

/** Starts the echo server writing as `mode` on 127.0.0.1, any free port; resolves with the port. */
export function startRawTcpServer(mode: WriteMode = 'batched'): Promise<number> {
  const server = createServer((socket) => serveEcho(socket, mode));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A client of the echo server (over TCP, or over TLS for the raw TLS baseline). */
export class RawTcpClient {
  private readonly pending = new IntMap<{ resolve: (payload: Payload) => void; reject: (error: Error) => void }>();
  private readonly writer: FrameSender;
  private nextId = 1;

  private constructor(
    private readonly socket: Socket,
    mode: WriteMode,
  ) {
    this.writer = frameWriter(socket, mode);
    const reader = new FrameReader((frame) => {
      const { id, payload } = frame as EchoFrame;
      const call = this.pending.get(id);
      this.pending.delete(id);
      call?.resolve(payload);
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('close', () => {
      const error = new Error('the raw TCP connection closed');
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    });
  }

  /**
   * A client on `socket`, already connected to an echo server (e.g. a TLS socket, once secure),
   * writing as `mode` (batched by default).
   */
  static over(socket: Socket, mode: WriteMode = 'batched'): RawTcpClient {
    return new RawTcpClient(socket, mode);
  }

  /** Connects to the server at 127.0.0.1:`port`; writes as `mode` (batched by default). */
  static connect(port: number, mode: WriteMode = 'batched'): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        socket.on('error', () => socket.destroy());
        resolve(new RawTcpClient(socket, mode));
      });
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  }

  /** Sends `payload` and resolves with the echo. */
  call(payload: Payload): Promise<Payload> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.writer.send({ id, payload });
    });
  }

  /** Closes the connection; calls in flight fail. */
  close(): void {
    this.socket.destroy();
  }
}

/**
 * The name of the raw TCP scenario writing as `mode` with `inFlight` calls outstanding:
 * `remote_raw_tcp_<n>` for the batched one (the name it has always had), else
 * `remote_raw_tcp_<mode>_<n>`.
 */
export function rawTcpScenarioName(mode: WriteMode, inFlight: number): string {
  return mode === 'batched' ? `remote_raw_tcp_${inFlight}` : `remote_raw_tcp_${mode}_${inFlight}`;
}

/**
 * The raw TCP echo writing as `mode` with `inFlight` calls outstanding, against the server on
 * `port` (which must write as `mode` too).
 */
export function rawTcpScenario(inFlight: number, port: number, mode: WriteMode = 'batched'): Scenario {
  return rawEchoScenario(rawTcpScenarioName(mode, inFlight), inFlight, () => RawTcpClient.connect(port, mode));
}

/** A raw echo scenario named `name`: `inFlight` calls outstanding on the client `connect` opens. */
export function rawEchoScenario(name: string, inFlight: number, connect: () => Promise<RawTcpClient>): Scenario {
  return {
    name,
    unit: 'calls/s',
    async open() {
      const client = await connect();
      return {
        run: (durationMs) =>
          closedLoop(inFlight, durationMs, async (sequence) =>
            checkEcho(sequence, await client.call(makePayload(sequence))),
          ),
        close() {
          client.close();
        },
      };
    },
  };
}
