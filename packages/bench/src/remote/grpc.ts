/**
 * The gRPC baseline: @grpc/grpc-js unary calls through a generic client and service with
 * JSON serializers (no .proto files), echoing the same payload. Scenarios
 * `remote_grpc_<n>` run it with n calls in flight.
 */
import * as grpc from '@grpc/grpc-js';
import { closedLoop } from '../measure';
import { checkEcho, makePayload, type Payload } from '../payload';
import type { Scenario } from '../scenario';

const serialize = (value: Payload): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const deserialize = (bytes: Buffer): Payload => JSON.parse(bytes.toString('utf8')) as Payload;

/** The Echo service: one unary method, JSON in and out. */
const echoService = {
  echo: {
    path: '/bench.Echo/Echo',
    requestStream: false,
    responseStream: false,
    requestSerialize: serialize,
    requestDeserialize: deserialize,
    responseSerialize: serialize,
    responseDeserialize: deserialize,
  },
} satisfies grpc.ServiceDefinition;

type EchoCallback = (error: grpc.ServiceError | null, response?: Payload) => void;

interface EchoClient extends grpc.Client {
  echo(request: Payload, callback: EchoCallback): grpc.ClientUnaryCall;
}

/** Starts the gRPC echo server on 127.0.0.1, any free port; resolves with the port. */
export function startGrpcServer(): Promise<number> {
  const server = new grpc.Server();
  server.addService(echoService, {
    echo: (call: grpc.ServerUnaryCall<Payload, Payload>, callback: grpc.sendUnaryData<Payload>) =>
      callback(null, call.request),
  });
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error === null ? resolve(port) : reject(error),
    );
  });
}

const EchoClientConstructor = grpc.makeGenericClientConstructor(echoService, 'Echo');

async function connectGrpc(port: number): Promise<EchoClient> {
  const client = new EchoClientConstructor(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  ) as unknown as EchoClient;
  await new Promise<void>((resolve, reject) =>
    client.waitForReady(Date.now() + 10_000, (error) =>
      error === undefined || error === null ? resolve() : reject(error),
    ),
  );
  return client;
}

function echo(client: EchoClient, payload: Payload): Promise<Payload | undefined> {
  return new Promise((resolve, reject) =>
    client.echo(payload, (error, response) => (error === null ? resolve(response) : reject(error))),
  );
}

/** gRPC unary echo with `inFlight` calls outstanding, against the server on `port`. */
export function grpcScenario(inFlight: number, port: number): Scenario {
  return {
    name: `remote_grpc_${inFlight}`,
    unit: 'calls/s',
    async open() {
      const client = await connectGrpc(port);
      return {
        run: (durationMs) =>
          closedLoop(inFlight, durationMs, async (sequence) =>
            checkEcho(sequence, await echo(client, makePayload(sequence))),
          ),
        close() {
          client.close();
        },
      };
    },
  };
}
