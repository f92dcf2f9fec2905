/**
 * The raw TLS baseline: the raw TCP echo ({@link serveEcho}, {@link RawTcpClient}: the same
 * length-prefixed JSON frames, writes coalesced per event-loop turn, pending calls in a Map)
 * over `node:tls` with mutual authentication: the server requires a client certificate from
 * the bench's CA, the client checks the server's certificate against 127.0.0.1. Both use
 * Node's default TLS versions and ciphers, as nact-rpc does. Scenario `remote_raw_tls_<n>`.
 */
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { Scenario } from '../scenario';
import type { BenchTls } from './certificates';
import { rawEchoScenario, RawTcpClient, serveEcho } from './rawTcp';

/** Starts the TLS echo server on 127.0.0.1, any free port, with `tls`; resolves with the port. */
export function startRawTlsServer(tls: BenchTls): Promise<number> {
  const server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, serveEcho);
  server.on('tlsClientError', (error) => process.stderr.write(`raw TLS echo: a client failed: ${error.message}\n`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** Connects to the TLS echo server at 127.0.0.1:`port`, presenting `tls`; resolves once secure. */
function connectRawTls(port: number, tls: BenchTls): Promise<RawTcpClient> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, ...tls }, () => {
      socket.off('error', reject);
      socket.on('error', () => socket.destroy());
      resolve(RawTcpClient.over(socket));
    });
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

/** The raw TLS echo with `inFlight` calls outstanding, against the server on `port`, as the client `tls`. */
export function rawTlsScenario(inFlight: number, port: number, tls: BenchTls): Scenario {
  return rawEchoScenario(`remote_raw_tls_${inFlight}`, inFlight, () => connectRawTls(port, tls));
}
