/** What `NactRpcService.pendingCallCounts` reports: both 0 at rest. */
export interface PendingCallCounts {
  /** Calls waiting for their answers. */
  readonly waiting: number;
  /** Ids of calls that ended unanswered, held until a late answer or the association's end. */
  readonly reserved: number;
}
