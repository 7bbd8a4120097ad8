/** A fresh context for one rule, and what the instance behind it turned out to support. */
export interface OpenedContext<Context> {
  context: Context;
  /** Disposes of every instance the context made. */
  close(): Promise<void>;
  /**
   * Why `capability` is not claimed after all, once the instance is known
   * (e.g. its declared `supports` lacks it), or `undefined` when it is.
   */
  notClaimed?(capability: string): string | undefined;
}

/**
 * How a suite prepares each rule: a fresh context per rule, the
 * capabilities the implementation claims, and a time limit per rule.
 */
export interface RuleHarness<Context> {
  /** Makes a fresh, isolated context for one rule, and the function that disposes of it. */
  open(): Promise<OpenedContext<Context>>;
  /** False when the implementation certainly does not claim `capability`, before any instance exists. */
  claims(capability: string): boolean;
  /** Why `capability` is not claimed, for the report. Default: its name. */
  notClaimedReason?(capability: string): string;
  /** Longest a rule may run before it is failed as hung, in ms. */
  ruleTimeoutMs: number;
}
