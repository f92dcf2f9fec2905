/**
 * Certificates made at run time, for the TLS scenarios and for the TLS tests (test/support
 * re-exports this): a throwaway certificate authority and, for each service, an ECDSA P-256 key
 * and a certificate that names the service (subject CN and a DNS name) and is valid for the
 * hosts it is dialled at (`localhost` and `127.0.0.1` by default), as `security.tls` requires.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const HOSTS = ['localhost', '127.0.0.1'] as const;

/** A key, its certificate and the authority to trust for peers, PEM: what `security.tls` takes. */
export interface BenchTls {
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

/** A certificate authority that lives for one bench run and issues {@link BenchTls} per service. */
export class BenchCertificateAuthority {
  private serial = 1;

  private constructor(
    private readonly keys: webcrypto.CryptoKeyPair,
    private readonly certificate: x509.X509Certificate,
  ) {}

  /** Makes a new self-signed authority named `name`. */
  static async create(name = 'nact-rpc bench CA'): Promise<BenchCertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `CN=${name}`,
      ...validity(),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new BenchCertificateAuthority(keys, certificate);
  }

  /** The authority's certificate, PEM: what `security.tls.ca` trusts. */
  get pem(): string {
    return this.certificate.toString('pem');
  }

  /**
   * Issues a key and a certificate (server and client use) for the service `serviceName`, valid
   * for `hosts` (DNS names or IPv4 addresses).
   */
  async issue(serviceName: string, hosts: readonly string[] = HOSTS): Promise<BenchTls> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: (++this.serial).toString(16).padStart(2, '0'),
      subject: `CN=${serviceName}`,
      issuer: this.certificate.subject,
      ...validity(),
      signingKey: this.keys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.ExtendedKeyUsageExtension([SERVER_AUTH, CLIENT_AUTH]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: serviceName },
          ...hosts.map((host) => ({ type: /^[\d.]+$/.test(host) ? ('ip' as const) : ('dns' as const), value: host })),
        ]),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return {
      key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
      cert: certificate.toString('pem'),
      ca: this.pem,
    };
  }
}

/** Valid from a minute ago (clock skew between the processes) for a day. */
function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3_600_000) };
}
