import { createSecureContext, type SecureContext } from 'node:tls';
import { RpcInvalidOptionError } from '@nact-rpc/core';

/** PEM text, or its bytes. */
export type Pem = string | Buffer;

/**
 * TLS for a service: it listens with TLS (its addresses use the `nact-rpcs` scheme) and
 * presents this key and certificate, to peers that connect and, as its client certificate,
 * to the TLS services it connects to. See docs/security.md.
 */
export interface TlsOptions {
  /**
   * The private key, PEM. With `cert`; both may be left out by a service that does not listen
   * and calls only TLS services that do not require client certificates.
   */
  readonly key?: Pem | undefined;
  /** The certificate chain, PEM. It must name the service (subject CN or a DNS subject alternative name). */
  readonly cert?: Pem | undefined;
  /**
   * The certificate authorities trusted for peers' certificates, PEM: both for the services
   * this one connects to and, with client certificates required, for the peers that connect.
   */
  readonly ca: Pem | readonly Pem[];
  /**
   * Mutual TLS: peers that connect must present a certificate from `ca` that names the service
   * they say they are. Default `true`. With `false`, any client may connect over TLS, and the
   * connection is encrypted but its client not authenticated.
   */
  readonly requireClientCertificate?: boolean | undefined;
}

/**
 * How a service authenticates its peers. Without any, anyone who reaches its port can call
 * every endpoint: it then listens on a loopback address unless told otherwise, and warns when
 * told otherwise. See docs/security.md.
 */
export interface SecurityOptions {
  /** TLS, by default with client certificates required (mutual TLS). */
  readonly tls?: TlsOptions | undefined;
  /**
   * A secret every service of the deployment shares: each association is authenticated by a
   * challenge-response over nonces from both sides (HMAC-SHA256); the secret never crosses
   * the wire. A peer without it, or with another, is refused before any message reaches an
   * endpoint. At least 16 bytes (of UTF-8 for a string); use 32 random bytes.
   */
  readonly sharedSecret?: string | Uint8Array | undefined;
}

/** {@link SecurityOptions} checked and prepared. */
export interface ResolvedSecurity {
  /** TLS, if configured: the context, the PEMs it was made of, and whether client certificates are required. */
  readonly tls:
    | {
        readonly context: SecureContext;
        readonly pems: { readonly key?: Pem; readonly cert?: Pem; readonly ca: Pem | Pem[] };
        readonly requireClientCertificate: boolean;
      }
    | undefined;
  /** The shared secret's bytes, if configured. */
  readonly secret: Buffer | undefined;
  /** Whether every peer that connects must prove who it is (a shared secret, or a client certificate). */
  readonly authenticatesPeers: boolean;
}

/** The shortest shared secret accepted, in bytes. */
export const MIN_SECRET_BYTES = 16;

/**
 * Checks the security options and builds the TLS context.
 * @throws RpcInvalidOptionError naming the option (`security`, `security.tls`,
 *   `security.tls.key`, `security.tls.requireClientCertificate`, `security.sharedSecret`) that is
 *   of the wrong type, too short, or (for the key, certificate and CAs) not usable by TLS; its
 *   cause is TLS's own error.
 */
export function resolveSecurityOptions(options: SecurityOptions = {}): ResolvedSecurity {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw RpcInvalidOptionError.forValue('security', options, 'an object such as { sharedSecret, tls }');
  }
  const tls = options.tls === undefined ? undefined : resolveTls(options.tls);
  const secret = options.sharedSecret === undefined ? undefined : resolveSecret(options.sharedSecret);
  return {
    tls,
    secret,
    authenticatesPeers: secret !== undefined || tls?.requireClientCertificate === true,
  };
}

function resolveTls(tls: TlsOptions): NonNullable<ResolvedSecurity['tls']> {
  if (tls === null || typeof tls !== 'object' || Array.isArray(tls)) {
    throw RpcInvalidOptionError.forValue('security.tls', tls, 'an object with key, cert and ca (PEM)');
  }
  for (const field of ['key', 'cert', 'ca'] as const) {
    const value: unknown = tls[field];
    if (value === undefined && field !== 'ca' && tls.key === undefined && tls.cert === undefined) continue;
    const pems = field === 'ca' && Array.isArray(value) ? (value as unknown[]) : [value];
    if (pems.length === 0 || !pems.every((pem) => typeof pem === 'string' || Buffer.isBuffer(pem))) {
      throw RpcInvalidOptionError.forValue(`security.tls.${field}`, value, 'PEM text or a Buffer of it');
    }
  }
  const requireClientCertificate = tls.requireClientCertificate ?? true;
  if (typeof requireClientCertificate !== 'boolean') {
    throw RpcInvalidOptionError.forValue(
      'security.tls.requireClientCertificate',
      requireClientCertificate,
      'true or false',
    );
  }
  const pems = {
    ...(tls.key === undefined ? {} : { key: tls.key, cert: tls.cert as Pem }),
    ca: tls.ca as Pem | Pem[],
  };
  let context: SecureContext;
  try {
    context = createSecureContext(pems);
  } catch (error) {
    throw new RpcInvalidOptionError(
      `Invalid security.tls: TLS cannot use the key, certificate or CAs given: ${(error as Error).message}.`,
      { option: 'security.tls', cause: error },
    );
  }
  return { context, pems, requireClientCertificate };
}

function resolveSecret(secret: string | Uint8Array): Buffer {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) {
    throw RpcInvalidOptionError.forValue('security.sharedSecret', secret, 'a string or a Uint8Array');
  }
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new RpcInvalidOptionError(
      `Invalid security.sharedSecret: expected at least ${MIN_SECRET_BYTES} bytes, got ${bytes.length} ` +
        `(the value is not shown). Use 32 random bytes, e.g. from \`openssl rand -base64 32\`.`,
      { option: 'security.sharedSecret' },
    );
  }
  return bytes;
}
