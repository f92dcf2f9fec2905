import { posix } from 'node:path';
import type { TarballFiles } from './tarball';

/**
 * What a published package must hold, checked on the tarball `npm pack` wrote: the files a
 * registry page and a legal review look for, the Node.js versions it supports, no build
 * leftovers, and source maps that lead somewhere. Returns one sentence per problem (empty
 * when the tarball is fine), so that a failure lists them all at once.
 */
export function tarballProblems(files: TarballFiles): string[] {
  const problems: string[] = [];
  if (!files.has('README.md')) problems.push('no README.md');
  if (!files.has('LICENSE') && !files.has('LICENSE.md')) problems.push('no LICENSE or LICENSE.md');
  problems.push(...manifestProblems(files.get('package.json')));
  for (const path of files.keys()) {
    if (path.endsWith('.tsbuildinfo')) problems.push(`ships the build leftover ${path}`);
  }
  const mapProblems = [...files]
    .filter(([path]) => path.endsWith('.map'))
    .flatMap(([path, content]) => sourceMapProblems(path, content, files));
  problems.push(...mapProblems.slice(0, MAX_MAP_PROBLEMS));
  if (mapProblems.length > MAX_MAP_PROBLEMS) {
    problems.push(`and ${mapProblems.length - MAX_MAP_PROBLEMS} more source maps with the same problem`);
  }
  return problems;
}

/** Source map problems listed one by one; the rest are counted (a build makes them all alike). */
const MAX_MAP_PROBLEMS = 3;

function manifestProblems(manifest: Buffer | undefined): string[] {
  if (manifest === undefined) return ['no package.json'];
  const json = JSON.parse(manifest.toString('utf8')) as { engines?: { node?: unknown } };
  return typeof json.engines?.node === 'string' && json.engines.node !== ''
    ? []
    : ['package.json has no engines.node (the Node.js versions the package supports)'];
}

interface SourceMap {
  readonly sources?: readonly string[];
  readonly sourcesContent?: readonly (string | null)[];
  readonly sourceRoot?: string;
}

/**
 * A source map is only useful if a debugger can show its sources: either embedded
 * (`sourcesContent`) or shipped next to it. A map pointing at `../src/x.ts` that is not in
 * the package sends stack traces and editors to files that do not exist.
 */
function sourceMapProblems(path: string, content: Buffer, files: TarballFiles): string[] {
  let map: SourceMap;
  try {
    map = JSON.parse(content.toString('utf8')) as SourceMap;
  } catch {
    return [`${path} is not valid JSON`];
  }
  const sources = map.sources ?? [];
  const missing = sources.filter((source, index) => {
    if (typeof map.sourcesContent?.[index] === 'string') return false;
    const resolved = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
    return !files.has(resolved);
  });
  if (missing.length === 0) return [];
  const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? `, and ${missing.length - 3} more` : '');
  return [`${path} has neither sourcesContent nor the shipped file for ${shown}`];
}
