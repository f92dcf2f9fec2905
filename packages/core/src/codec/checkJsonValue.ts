import { RpcDecodeLimitError } from '../errors/RpcDecodeLimitError';
import type { ResolvedDecodeLimits } from './DecodeLimits';

/**
 * Checks a value JSON.parse built from `textBytes` bytes against the depth, string and
 * collection limits, walking it without recursion (only its depth if the text is too short to
 * hold a string or collection over its limit). Plain JSON is parsed by V8 without recursion at any depth, so the check
 * can follow the parse; walking the built value costs a few percent of the parse, where a
 * second pass over the text would cost a third of it.
 * @throws RpcDecodeLimitError for a string or collection over its limit (the first found), or
 *   for nesting over `maxDepth` (with the depth of the deepest value).
 */
export function checkJsonValue(value: unknown, limits: ResolvedDecodeLimits, textBytes: number): void {
  const { maxDepth, maxStringLength, maxCollectionSize } = limits;
  // A text of N bytes holds no string over N characters and no collection over N elements.
  if (textBytes <= maxStringLength && textBytes <= maxCollectionSize) {
    checkDepth(value, maxDepth);
    return;
  }
  if (typeof value === 'string') checkString(value, maxStringLength);
  if (typeof value !== 'object' || value === null) return;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    const depth = depths.pop() as number;
    if (depth > deepest) deepest = depth;
    let elements = 0;
    if (Array.isArray(at)) {
      elements = at.length;
      for (let i = 0; i < at.length; i++) {
        const child: unknown = at[i];
        if (typeof child === 'string') checkString(child, maxStringLength);
        else if (typeof child === 'object' && child !== null) {
          pending.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in at as Record<string, unknown>) {
        elements++;
        checkString(key, maxStringLength);
        const child = (at as Record<string, unknown>)[key];
        if (typeof child === 'string') checkString(child, maxStringLength);
        else if (typeof child === 'object' && child !== null) {
          pending.push(child);
          depths.push(depth + 1);
        }
      }
    }
    if (elements > maxCollectionSize) {
      const what = Array.isArray(at) ? `an array of ${elements} elements` : `an object of ${elements} properties`;
      throw RpcDecodeLimitError.refusing(what, 'maxCollectionSize', maxCollectionSize, elements);
    }
  }
  if (deepest > maxDepth) {
    throw RpcDecodeLimitError.refusing(`a value nested ${deepest} deep`, 'maxDepth', maxDepth, deepest);
  }
}

function checkString(text: string, max: number): void {
  if (text.length > max) {
    throw RpcDecodeLimitError.refusing(`a string of ${text.length} characters`, 'maxStringLength', max, text.length);
  }
}

/** The depth check alone, for a text too short to hold a string or collection over its limit. */
function checkDepth(value: unknown, maxDepth: number): void {
  if (typeof value !== 'object' || value === null) return;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  for (let at = pending.pop(); at !== undefined; at = pending.pop()) {
    const depth = depths.pop() as number;
    if (depth > deepest) deepest = depth;
    const children = Array.isArray(at) ? at : Object.values(at as object);
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
