import { describe, isPlainObject } from '../protocol/checkProtocolIdentity';

/** How deep causes and inner errors may nest in an error envelope received from a peer. */
const MAX_ENVELOPE_DEPTH = 32;

/**
 * Checks that a decoded value received as an error answer is a well-formed `ErrorEnvelope`
 * before it is rebuilt into an error: `name` and `message` strings, `stack` a string or
 * absent, `code` a string, a number or absent, `props` a plain object (without a `__proto__`
 * key) or absent, `cause` an envelope or absent, `errors` an array of envelopes or absent,
 * causes and inner errors nested at most 32 deep.
 * @param field The name of the value, used in the problem's text.
 * @returns `undefined` if it is well-formed, otherwise a sentence naming the first field that is not.
 */
export function checkErrorEnvelope(value: unknown, field = 'the error envelope', depth = 0): string | undefined {
  if (depth > MAX_ENVELOPE_DEPTH) return `${field} nests causes deeper than ${MAX_ENVELOPE_DEPTH}`;
  if (!isPlainObject(value)) return `${field} is ${describe(value)}, not an object`;
  for (const key of ['name', 'message'] as const) {
    if (typeof value[key] !== 'string') return `${field}.${key} is ${describe(value[key])}, not a string`;
  }
  const { stack, code, props, cause, errors } = value;
  if (stack !== undefined && typeof stack !== 'string') return `${field}.stack is ${describe(stack)}, not a string`;
  if (code !== undefined && typeof code !== 'string' && typeof code !== 'number') {
    return `${field}.code is ${describe(code)}, not a string or a number`;
  }
  if (props !== undefined) {
    if (!isPlainObject(props)) return `${field}.props is ${describe(props)}, not an object`;
    if (Object.hasOwn(props, '__proto__')) return `${field}.props has a __proto__ key`;
  }
  if (cause !== undefined) {
    const problem = checkErrorEnvelope(cause, `${field}.cause`, depth + 1);
    if (problem !== undefined) return problem;
  }
  if (errors !== undefined) {
    if (!Array.isArray(errors)) return `${field}.errors is ${describe(errors)}, not an array`;
    for (const [index, inner] of errors.entries()) {
      const problem = checkErrorEnvelope(inner, `${field}.errors[${index}]`, depth + 1);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
