/** The longest protocol name, fingerprint or method name a handshake may carry. */
const MAX_NAME_LENGTH = 1024;

/**
 * Checks that a value received from a peer is a well-formed `ProtocolIdentity`: a
 * `name` and a `fingerprint` (non-empty strings), and `methods`, a plain object whose every
 * value is a method descriptor (`kind` `'tell'` or `'ask'`, an optional non-negative integer
 * `timeoutArg`, an optional boolean `local`, an optional non-empty string `shape`).
 * @param value What the peer sent.
 * @param field The name of the field that holds it, used in the problem's text.
 * @returns `undefined` if it is well-formed, otherwise a sentence naming the first field that is not.
 */
export function checkProtocolIdentity(value: unknown, field = 'protocol'): string | undefined {
  if (!isPlainObject(value)) return `${field} is ${describe(value)}, not an object`;
  for (const key of ['name', 'fingerprint'] as const) {
    const text = value[key];
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_NAME_LENGTH) {
      return `${field}.${key} is ${describe(text)}, not a string of 1 to ${MAX_NAME_LENGTH} characters`;
    }
  }
  const methods = value['methods'];
  if (!isPlainObject(methods)) return `${field}.methods is ${describe(methods)}, not an object`;
  for (const [name, method] of Object.entries(methods)) {
    const where = `${field}.methods[${JSON.stringify(name.slice(0, 64))}]`;
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) return `${where} has a name of ${name.length} characters`;
    if (!isPlainObject(method)) return `${where} is ${describe(method)}, not a method descriptor`;
    if (method['kind'] !== 'tell' && method['kind'] !== 'ask') {
      return `${where}.kind is ${describe(method['kind'])}, not 'tell' or 'ask'`;
    }
    const timeoutArg = method['timeoutArg'];
    if (timeoutArg !== undefined && !(Number.isSafeInteger(timeoutArg) && Number(timeoutArg) >= 0)) {
      return `${where}.timeoutArg is ${describe(timeoutArg)}, not a non-negative integer`;
    }
    const local = method['local'];
    if (local !== undefined && typeof local !== 'boolean') {
      return `${where}.local is ${describe(local)}, not a boolean`;
    }
    const shape = method['shape'];
    if (shape !== undefined && (typeof shape !== 'string' || shape.length === 0 || shape.length > MAX_NAME_LENGTH)) {
      return `${where}.shape is ${describe(shape)}, not a string of 1 to ${MAX_NAME_LENGTH} characters`;
    }
  }
  return undefined;
}

/** Whether `value` is an object that is neither null nor an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a received value for a protocol error: its type, or `missing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 64 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}
