import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import type { ResolvedDecodeLimits } from './DecodeLimits';

/**
 * Checks a value JSON.parse built from `textBytes` bytes against the depth, string and
 * collection limits, walking it without recursion. Plain JSON is parsed by V8 without recursion
 * at any depth, so the check can follow the parse; walking the built value costs a few percent
 * of the parse, where a second pass over the text would cost a third of it. A text too short to
 * hold a string or collection over its limit has only its depth checked.
 * @throws RpcDecodeLimitError for a string or collection over its limit (the first found), or
 *   for nesting over `maxDepth` (with the depth of the deepest value).
 */
export function checkJsonValue(value: unknown, limits: ResolvedDecodeLimits, textBytes: number): void {
  const { maxDepth, maxStringLength, maxCollectionSize } = limits;
  // A text of N bytes holds no string over N characters and no collection over N elements.
  const sizes = textBytes > maxStringLength || textBytes > maxCollectionSize;
  if (sizes && typeof value === 'string') checkString(value, maxStringLength);
  if (typeof value !== 'object' || value === null) return;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    const depth = depths.pop() as number;
    if (depth > deepest) deepest = depth;
    const children = Array.isArray(at) ? (at as unknown[]) : Object.values(at as object);
    if (sizes) checkSizes(at as object, children, limits);
    for (let i = 0; i < children.length; i++) {
      const child: unknown = children[i];
      if (typeof child === 'object' && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  if (deepest > maxDepth) {
    throw RpcDecodeLimitError.refusing(`a value nested ${deepest} deep`, 'maxDepth', maxDepth, deepest);
  }
}

/** Checks one array or object: its number of elements, its keys, and its string elements. */
function checkSizes(node: object, children: readonly unknown[], limits: ResolvedDecodeLimits): void {
  const { maxStringLength, maxCollectionSize } = limits;
  if (children.length > maxCollectionSize) {
    const what = Array.isArray(node)
      ? `an array of ${children.length} elements`
      : `an object of ${children.length} properties`;
    throw RpcDecodeLimitError.refusing(what, 'maxCollectionSize', maxCollectionSize, children.length);
  }
  if (!Array.isArray(node)) for (const key of Object.keys(node)) checkString(key, maxStringLength);
  for (const child of children) if (typeof child === 'string') checkString(child, maxStringLength);
}

function checkString(text: string, max: number): void {
  if (text.length > max) {
    throw RpcDecodeLimitError.refusing(`a string of ${text.length} characters`, 'maxStringLength', max, text.length);
  }
}
