import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
let serial = 1;

/** A key and a certificate chain, PEM, as `security.tls` takes them. */
export interface KeyAndCertificate {
  readonly key: string;
  readonly cert: string;
}

/**
 * A certificate authority made at test time: it issues certificates for services, each naming
 * its service (subject CN and a DNS name) and valid for `localhost` and `127.0.0.1`.
 */
export class TestCertificateAuthority {
  private constructor(
    private readonly keys: webcrypto.CryptoKeyPair,
    private readonly certificate: x509.X509Certificate,
  ) {}

  /** Makes a new authority named `name`. */
  static async create(name = 'nact-rpc test CA'): Promise<TestCertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: nextSerial(),
      name: `CN=${name}`,
      ...validity(),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new TestCertificateAuthority(keys, certificate);
  }

  /** The authority's certificate, PEM: what `security.tls.ca` trusts. */
  get pem(): string {
    return this.certificate.toString('pem');
  }

  /**
   * Issues a key and certificate for service `serviceName`: named by subject CN and a DNS name,
   * and valid for the hosts `hosts` (DNS names or IP addresses; default localhost and 127.0.0.1).
   */
  async issue(serviceName: string, hosts: readonly string[] = ['localhost', '127.0.0.1']): Promise<KeyAndCertificate> {
    const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
    const names = [
      { type: 'dns' as const, value: serviceName },
      ...hosts.map((host) => ({ type: /^[\d.]+$|:/.test(host) ? ('ip' as const) : ('dns' as const), value: host })),
    ];
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: nextSerial(),
      subject: `CN=${serviceName}`,
      issuer: this.certificate.subject,
      ...validity(),
      signingKey: this.keys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.ExtendedKeyUsageExtension([SERVER_AUTH, CLIENT_AUTH]),
        new x509.SubjectAlternativeNameExtension(names),
      ],
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), cert: certificate.toString('pem') };
  }

  /** `security.tls` options for service `serviceName`, trusting this authority. */
  async tlsFor(serviceName: string, hosts?: readonly string[]): Promise<KeyAndCertificate & { ca: string }> {
    return { ...(await this.issue(serviceName, hosts)), ca: this.pem };
  }
}

function nextSerial(): string {
  return (serial++).toString(16).padStart(2, '0');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 24 * 3_600_000) };
}
