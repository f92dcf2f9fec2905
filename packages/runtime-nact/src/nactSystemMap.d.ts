/**
 * The part of nact 7.6.2's internal module `lib/system-map.js` that `onAncestorStop`
 * uses: the process-wide map from system names to the concrete actor systems, and the
 * lookup of a concrete actor by reference. Not part of nact's published types.
 */
declare module 'nact/lib/system-map.js' {
  /** The concrete system named `systemName`, or with `reference`, the concrete actor it names. */
  export function find(systemName: string, reference?: unknown): unknown;
}
