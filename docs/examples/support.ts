/** What the tests of the documentation's examples share. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCertificateAuthority } from '../../test/support/certificates';

/** Runs `fn` with `console.log` captured; answers what it printed, one string per call. */
export async function printedBy(fn: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  try {
    await fn();
  } finally {
    log.mockRestore();
  }
  return printed;
}

/**
 * Runs `fn` in a new working directory that holds `ca.crt` and, for each service name, its
 * `<name>.key` and `<name>.crt`, as the TLS examples read them; the directory is removed after.
 */
export async function inDirectoryWithCertificates<T>(services: readonly string[], fn: () => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'nact-rpc-docs-tls-'));
  const authority = await TestCertificateAuthority.create();
  writeFileSync(join(directory, 'ca.crt'), authority.pem);
  for (const service of services) {
    const { key, cert } = await authority.issue(service);
    writeFileSync(join(directory, `${service}.key`), key);
    writeFileSync(join(directory, `${service}.crt`), cert);
  }
  const previous = process.cwd();
  process.chdir(directory);
  try {
    return await fn();
  } finally {
    process.chdir(previous);
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Runs `fn` with the environment variable `name` set to `value`, then restores it. */
export async function withEnvironment<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}
