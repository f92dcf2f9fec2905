/**
 * docs/errors.md keeps up with the code: every error class a package exports (from its public
 * entry or its internal one) has an entry there, under its name, with its code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@nact-rpc/core';
import * as coreInternal from '@nact-rpc/core/internal';
import * as runtimeNact from '@nact-rpc/runtime-nact';
import * as testing from '@nact-rpc/testing';
import * as transport from '@nact-rpc/transport';
import * as transportInternal from '@nact-rpc/transport/internal';

const ROOT = join(__dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');

type ErrorClass = new (...args: unknown[]) => Error;

const entries: Record<string, Record<string, unknown>> = {
  '@nact-rpc/core': core,
  '@nact-rpc/core/internal': coreInternal,
  '@nact-rpc/transport': transport,
  '@nact-rpc/transport/internal': transportInternal,
  '@nact-rpc/runtime-nact': runtimeNact,
  '@nact-rpc/testing': testing,
};

/** The exported classes of an entry whose prototype chain includes `Error`. */
function errorClassesOf(entry: Record<string, unknown>): ErrorClass[] {
  return Object.values(entry).filter(
    (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error,
  );
}

/**
 * The `code` an instance of `errorClass` carries, or `undefined` if it has none. One set of
 * arguments suits every constructor: a message, an options object with every field the
 * options of nact-rpc's errors require, and an empty trace (for `SimulationError`).
 */
function codeOf(errorClass: ErrorClass): string | undefined {
  const options = { host: '127.0.0.1', port: 1, timeoutMs: 1, limit: 'maxDepth', max: 1, option: 'option' };
  const error = new errorClass('message', options, []) as Error & { readonly code?: unknown };
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The page's entries: the text under each `### \`Name\`` heading, by name. */
function pageEntries(): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = PAGE.split(/^### /m).slice(1);
  for (const part of parts) {
    const heading = /^`(\w+)`\s*$/m.exec(part.slice(0, part.indexOf('\n') + 1));
    if (heading?.[1] !== undefined) sections.set(heading[1], part.split(/^## /m)[0] ?? '');
  }
  return sections;
}

/** The names of the classes declared with `export class <Name> extends` in the packages' sources. */
function declaredClasses(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.ts')) {
        for (const [, className = ''] of readFileSync(path, 'utf8').matchAll(/^export class (\w+) extends /gm)) {
          names.add(className);
        }
      }
    }
  };
  for (const name of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', name, 'src');
    if (existsDir(src)) visit(src);
  }
  return names;
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const exported = Object.entries(entries).flatMap(([entry, module]) =>
  errorClassesOf(module).map((errorClass) => ({ entry, errorClass, name: errorClass.name })),
);
const unique = [...new Map(exported.map((item) => [item.name, item])).values()];

describe('docs/errors.md', () => {
  const sections = pageEntries();

  test('the packages export error classes (the search finds them)', () => {
    expect(unique.map(({ name }) => name)).toEqual(
      expect.arrayContaining(['RpcError', 'RpcTimeoutError', 'HandshakeError', 'StubMethodNotImplementedError']),
    );
  });

  test.each(unique.map((item) => [item.name, item] as const))(
    '%s has an entry with its code, and a row in the summary',
    (name, { errorClass }) => {
      const section = sections.get(name);
      if (section === undefined) throw new Error(`docs/errors.md has no "### \`${name}\`" entry`);
      const code = codeOf(errorClass);
      const codeLine = /^- \*\*Code:\*\* (.*)$/m.exec(section)?.[1];
      expect(codeLine).toBeDefined();
      if (code === undefined) expect(codeLine).toMatch(/^none\b/);
      else expect(codeLine).toContain(`\`${code}\``);
      const row = new RegExp(`^\\| \`${name}\` +\\| ${code === undefined ? 'none' : `\`${code}\``} +\\|`, 'm');
      expect(PAGE).toMatch(row);
    },
  );

  test('every entry names a class of the packages', () => {
    const declared = declaredClasses();
    expect([...sections.keys()].filter((name) => !declared.has(name))).toEqual([]);
  });
});
