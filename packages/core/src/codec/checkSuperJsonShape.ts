import { RpcDecodeLimitError, type DecodeLimitName } from '../errors/RpcDecodeLimitError';
import { RpcSerializationError } from '../errors/RpcSerializationError';
import { describe as describeReceivedValue, isPlainObject } from '../protocol/checkProtocolIdentity';

/** The value annotations superjson writes as a plain string. */
const SIMPLE_ANNOTATIONS: ReadonlySet<unknown> = new Set([
  'undefined',
  'bigint',
  'Date',
  'Error',
  'regexp',
  'set',
  'map',
  'number',
  'URL',
]);

/** The value annotations superjson writes as `[kind, name]` (symbols are never sent: the codec refuses them). */
const COMPOSITE_ANNOTATIONS: ReadonlySet<unknown> = new Set(['class', 'custom', 'typed-array']);

/**
 * Checks the shape of a parsed superjson payload before superjson reads it: an object with
 * `json` and, if present, a `meta` object whose `values` is a tree of annotations (a node is
 * `[annotation]` or `[annotation, {path: node}]`, a record of paths is `{path: node}`) with
 * annotations superjson knows, and whose `referentialEqualities` maps paths to arrays of paths
 * (or is `[paths, {path: paths}]`). superjson trusts this shape: a node of another shape makes
 * it recurse without end or fail with an internal error. The walk uses no recursion, and
 * visits at most `maxNodes` nodes and `maxDepth` levels.
 * @throws RpcSerializationError naming the malformed part, e.g. `meta.values.a`;
 *   RpcDecodeLimitError past `maxNodes` (as `maxCollectionSize`) or `maxDepth`.
 */
export function checkSuperJsonShape(payload: unknown, maxNodes: number, maxDepth: number): void {
  if (!isPlainObject(payload)) throw malformed('the payload', payload, 'an object with json and meta');
  const meta = payload['meta'];
  if (meta === undefined || meta === null) return;
  if (!isPlainObject(meta)) throw malformed('meta', meta, 'an object');
  if (meta['values'] !== undefined) checkValueTree(meta['values'], maxNodes, maxDepth);
  const equalities = meta['referentialEqualities'];
  if (equalities !== undefined) checkEqualities(equalities);
}

function checkValueTree(values: unknown, maxNodes: number, maxDepth: number): void {
  const pending: { tree: unknown; where: string; depth: number; record: boolean }[] = [
    { tree: values, where: 'meta.values', depth: 1, record: !Array.isArray(values) },
  ];
  let nodes = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { tree, where, depth } = next;
    if (++nodes > maxNodes)
      throw new RpcDecodeLimitError(overLimit('maxCollectionSize', maxNodes), limit('maxCollectionSize', maxNodes));
    if (depth > maxDepth) throw new RpcDecodeLimitError(overLimit('maxDepth', maxDepth), limit('maxDepth', maxDepth));
    let children: unknown;
    if (next.record) {
      if (!isPlainObject(tree)) throw malformed(where, tree, 'an object of annotations by path');
      children = tree;
    } else {
      if (!Array.isArray(tree) || tree.length < 1 || tree.length > 2) {
        throw malformed(where, tree, '[annotation] or [annotation, children]');
      }
      checkAnnotation(tree[0], where);
      children = tree[1];
      if (children === undefined) continue;
      if (!isPlainObject(children)) throw malformed(`${where}[1]`, children, 'an object of annotations by path');
    }
    // A child is a node, or (as superjson reads it) a further record of paths.
    for (const [key, child] of Object.entries(children as Record<string, unknown>)) {
      pending.push({ tree: child, where: `${where}.${key}`, depth: depth + 1, record: !Array.isArray(child) });
    }
  }
}

function checkAnnotation(annotation: unknown, where: string): void {
  if (typeof annotation === 'string' && SIMPLE_ANNOTATIONS.has(annotation)) return;
  if (
    Array.isArray(annotation) &&
    annotation.length === 2 &&
    COMPOSITE_ANNOTATIONS.has(annotation[0]) &&
    typeof annotation[1] === 'string'
  ) {
    return;
  }
  throw malformed(`the annotation at ${where}`, annotation, 'a type superjson knows');
}

function checkEqualities(equalities: unknown): void {
  let record: unknown = equalities;
  if (Array.isArray(equalities)) {
    const [root, others] = equalities as unknown[];
    checkPaths(root, 'meta.referentialEqualities[0]');
    if (others === undefined) return;
    record = others;
  }
  if (!isPlainObject(record)) throw malformed('meta.referentialEqualities', record, 'an object of paths by path');
  for (const [key, paths] of Object.entries(record)) checkPaths(paths, `meta.referentialEqualities.${key}`);
}

function checkPaths(paths: unknown, where: string): void {
  if (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string')) {
    throw malformed(where, paths, 'an array of paths');
  }
}

function malformed(where: string, value: unknown, expected: string): RpcSerializationError {
  return new RpcSerializationError(`Cannot deserialize: ${where} is ${describeReceivedValue(value)}, not ${expected}`);
}

function overLimit(name: DecodeLimitName, max: number): string {
  return `Refused to decode: its superjson annotations are over the decode limit ${name} (${max})`;
}

function limit(name: DecodeLimitName, max: number): { limit: DecodeLimitName; max: number } {
  return { limit: name, max };
}
