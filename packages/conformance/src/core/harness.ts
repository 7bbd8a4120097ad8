/**
 * How a suite prepares each rule: a fresh context per rule, the
 * capabilities the implementation claims, and a time limit per rule.
 */
export interface RuleHarness<Context> {
  /** Makes a fresh, isolated context for one rule, and the function that disposes of it. */
  open(): Promise<{ context: Context; close(): Promise<void> }>;
  /** True when the implementation claims `capability`. */
  claims(capability: string): boolean;
  /** Longest a rule may run before it is failed as hung, in ms. */
  ruleTimeoutMs: number;
}
