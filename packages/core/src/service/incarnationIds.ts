import { randomUUID } from 'node:crypto';

/** The sources {@link useIncarnationIds} put in force, the latest last. */
const sources: (() => string)[] = [];

/**
 * A new incarnation id: the id of one run of a service, which tells its peers that it
 * restarted. Random (a UUID), unless a deterministic simulation gives them (see
 * {@link useIncarnationIds}).
 */
export function newIncarnationId(): string {
  const source = sources[sources.length - 1];
  return source === undefined ? randomUUID() : source();
}

/**
 * Makes {@link newIncarnationId} return what `next` gives, until the returned function is
 * called. A deterministic simulation needs it: which of two connections opened at the same
 * moment a pair of services keeps is decided by comparing their incarnations, so random ones
 * would make runs of one seed differ. Process-wide; the latest use wins until it is released;
 * releasing twice releases once.
 */
export function useIncarnationIds(next: () => string): () => void {
  sources.push(next);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    sources.splice(sources.lastIndexOf(next), 1);
  };
}
