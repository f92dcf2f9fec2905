/**
 * Prints the run's progress lines: the time since the start, who speaks, and what happened.
 * `[  2.31s] te-1    registered with rm-1 (session s1-0a9f3c): offered 2 slots`
 */
export class Printer {
  private readonly startedAt = Date.now();

  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  /** Prints a line of `who`. */
  line(who: string, text: string): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(2).padStart(6);
    this.write(`[${seconds}s] ${who.padEnd(7)} ${text}`);
  }

  /** Prints a line as it is (the summary). */
  plain(text: string): void {
    this.write(text);
  }
}
