/**
 * Which endpoint's main thread is running right now. JavaScript runs one thing at a time, so
 * "being in the main thread" means "inside the synchronous part of one of the endpoint's
 * turns"; this module records whose turn it is.
 */
let currentTurnOwner: object | undefined;

/** Runs `fn` as a turn of `owner`'s main thread. */
export function runInTurn<TResult>(owner: object, fn: () => TResult): TResult {
  const previous = currentTurnOwner;
  currentTurnOwner = owner;
  try {
    return fn();
  } finally {
    currentTurnOwner = previous;
  }
}

/** Whether the caller runs inside a turn of `owner`'s main thread. */
export function isInTurnOf(owner: object): boolean {
  return currentTurnOwner === owner;
}

/**
 * Marks the start of a turn of `owner` without a closure: for the hot path. Returns the
 * previous owner, to be given back to {@link exitTurn} in a `finally`.
 */
export function enterTurn(owner: object): object | undefined {
  const previous = currentTurnOwner;
  currentTurnOwner = owner;
  return previous;
}

/** Ends a turn begun with {@link enterTurn}. */
export function exitTurn(previous: object | undefined): void {
  currentTurnOwner = previous;
}
