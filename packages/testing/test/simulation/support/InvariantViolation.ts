/** How many violations an {@link InvariantViolation}'s message lists. */
const LISTED = 10;

/** A run broke invariants: the message lists what broke them (the first ten, and how many more). */
export class InvariantViolation extends Error {
  readonly code = 'INVARIANT_VIOLATED' as const;

  constructor(readonly violations: readonly string[]) {
    const more = violations.length > LISTED ? `\n  (and ${violations.length - LISTED} more)` : '';
    super(`${violations.length} invariant violations:\n  ${violations.slice(0, LISTED).join('\n  ')}${more}`);
    this.name = 'InvariantViolation';
  }
}
