/**
 * Runs an async step again and again, `intervalMs` after the previous run ended, until
 * {@link Repeater.stop}. Runs never overlap. A step that throws stops the repeater, and
 * {@link Repeater.stopped} rejects with its error.
 */
export class Repeater {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;
  private readonly done: Promise<void>;
  private finish!: () => void;
  private fail!: (error: unknown) => void;

  constructor(
    private readonly intervalMs: number,
    private readonly step: () => Promise<unknown>,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.schedule(0);
  }

  /** Settles when the repeater has stopped: after {@link stop}, or rejected by a step's error. */
  stopped(): Promise<void> {
    return this.done;
  }

  /** Runs no further step; settles when the step that runs (if any) has ended. */
  stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (!this.running) this.finish();
    return this.done;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      await this.step();
    } catch (error) {
      this.stopping = true;
      this.fail(error);
      return;
    } finally {
      this.running = false;
    }
    if (this.stopping) this.finish();
    else this.schedule(this.intervalMs);
  }
}
