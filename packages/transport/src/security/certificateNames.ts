import type { PeerCertificate } from 'node:tls';

/**
 * The names a certificate proves: its subject's common names and its DNS and URI subject
 * alternative names. A service's certificate names the service with one of them, so that a
 * peer that presents it proves to be that service (see docs/security.md).
 */
export function certificateNames(certificate: PeerCertificate): string[] {
  const names: string[] = [];
  const commonName: unknown = certificate.subject?.CN;
  if (typeof commonName === 'string') names.push(commonName);
  else if (Array.isArray(commonName)) names.push(...commonName.filter((name) => typeof name === 'string'));
  const alternatives = certificate.subjectaltname;
  if (typeof alternatives === 'string') {
    for (const entry of alternatives.split(', ')) {
      const match = /^(DNS|URI):(.+)$/.exec(entry);
      if (match?.[2] !== undefined) names.push(match[2]);
    }
  }
  return names;
}

/**
 * Checks that a peer's certificate names the service its hello claims: the reason to refuse
 * the association, or `undefined`.
 */
export function checkCertificateNames(serviceName: string, names: readonly string[]): string | undefined {
  if (names.includes(serviceName)) return undefined;
  const shown = names.length === 0 ? 'no name' : names.map((name) => JSON.stringify(name)).join(', ');
  return `its certificate names ${shown}, not the service ${JSON.stringify(serviceName)} it says it is`;
}
