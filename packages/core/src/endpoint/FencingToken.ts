/**
 * A fencing token, such as a leader session id. Tokens are compared with `===`, so they are
 * primitive values; they cross the wire unchanged.
 */
export type FencingToken = string | number | bigint;
