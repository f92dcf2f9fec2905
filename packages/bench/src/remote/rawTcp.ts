/**
 * The raw TCP baseline: a length-prefixed JSON echo ({@link FrameWriter}, {@link FrameReader}).
 * The server echoes each `{ id, payload }` frame; the client keeps its pending calls in a Map
 * by id. Scenarios `remote_raw_tcp_<n>` run it with n calls in flight.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { closedLoop } from '../measure';
import { checkEcho, makePayload, type Payload } from '../payload';
import type { Scenario } from '../scenario';
import { FrameReader, FrameWriter } from './frames';

interface EchoFrame {
  readonly id: number;
  readonly payload: Payload;
}

/** Echoes every frame read from `socket` back to it (the server's side of a connection). */
export function serveEcho(socket: Socket): void {
  socket.setNoDelay(true);
  const writer = new FrameWriter(socket);
  const reader = new FrameReader((frame) => writer.send(frame));
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('error', () => socket.destroy());
}

/** Starts the echo server on 127.0.0.1, any free port; resolves with the port. */
export function startRawTcpServer(): Promise<number> {
  const server = createServer(serveEcho);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A client of the echo server (over TCP, or over TLS for the raw TLS baseline). */
export class RawTcpClient {
  private readonly pending = new Map<number, { resolve: (payload: Payload) => void; reject: (error: Error) => void }>();
  private readonly writer: FrameWriter;
  private nextId = 1;

  private constructor(private readonly socket: Socket) {
    this.writer = new FrameWriter(socket);
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

  /** A client on `socket`, already connected to an echo server (e.g. a TLS socket, once secure). */
  static over(socket: Socket): RawTcpClient {
    return new RawTcpClient(socket);
  }

  /** Connects to the server at 127.0.0.1:`port`. */
  static connect(port: number): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        socket.on('error', () => socket.destroy());
        resolve(new RawTcpClient(socket));
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

/** The raw TCP echo with `inFlight` calls outstanding, against the server on `port`. */
export function rawTcpScenario(inFlight: number, port: number): Scenario {
  return rawEchoScenario(`remote_raw_tcp_${inFlight}`, inFlight, () => RawTcpClient.connect(port));
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
