/** How many {@link useMessageOnlyDeliveryBudget} calls are in force. */
let messageOnly = 0;

/**
 * Whether the runtime's per-turn delivery budget counts messages only. By default it counts
 * messages and processor time (see the runtime's delivery scheduler): how much one turn of the
 * event loop delivers then depends on how fast the machine runs, and so does the order in which
 * a busy process's work interleaves. A deterministic simulation needs runs that depend on their
 * seed alone, so while one runs the budget counts messages only, and a spent budget is renewed
 * by the runtime's own `setImmediate` tasks, never by a real timer.
 */
export function isDeliveryBudgetMessageOnly(): boolean {
  return messageOnly > 0;
}

/**
 * Makes the delivery budget count messages only (see {@link isDeliveryBudgetMessageOnly}) until
 * the returned function is called. Process-wide; calls nest, and the budget counts time again
 * once every one has been released. Releasing twice releases once.
 */
export function useMessageOnlyDeliveryBudget(): () => void {
  messageOnly++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    messageOnly--;
  };
}
