/**
 * One statement of the contract, checked against an implementation.
 * `requires` names the capabilities an implementation must claim for the
 * rule to apply; otherwise the rule is reported as not claimed.
 */
export interface Rule<Context> {
  /** Stable id, e.g. `LOCK-004`. Never reused for a different statement. */
  id: string;
  /** One sentence stating what must hold. */
  sentence: string;
  /** Capabilities the rule needs, e.g. `['fences']`. */
  requires?: readonly string[];
  /** Throws (with a reason a person can act on) when the implementation breaks the rule. */
  run(context: Context): Promise<void>;
}
