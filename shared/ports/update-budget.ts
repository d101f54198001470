/**
 * Port: the account-wide UpdateService budget. ECS meters UpdateService per account and Region (5 per
 * second sustained, burst 50), so every writer that scales services (each evaluator invocation, the
 * task-events function) takes its calls from one budget they all see. Adapter:
 * shared/aws/update-budget.ts (a counter per second in the state table). The simulator has none: its
 * world has one service and no account.
 */

/** One UpdateService that wants to go. */
export interface UpdateRequest {
  /**
   * Tasks the service is short of (desired minus current, for a scale-up): while the budget binds,
   * waiting requests are served largest need first. 0 for a scale-in (no shortfall), served after
   * every scale-up, first come first served.
   */
  need: number;
  /** Give up if no call may go before this time (the caller then knows nothing was sent). */
  by?: Date;
}

export interface UpdateBudget {
  /** Resolves true when one UpdateService may be sent now, false if `request.by` passed first. */
  take(request: UpdateRequest): Promise<boolean>;
}
