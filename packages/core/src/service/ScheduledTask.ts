/** A handle on work scheduled for later. */
export interface ScheduledTask {
  /**
   * Cancels the work if it has not started yet.
   * @returns `true` if this call cancelled it, `false` if it had already run or been cancelled.
   */
  cancel(): boolean;
}
