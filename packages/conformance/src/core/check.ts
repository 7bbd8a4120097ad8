/** The suites' own assertion: a false condition fails the rule with `reason`. */
export function check(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new Error(reason);
}

/** Awaits `promise` and returns what it threw, failing with `reason` if it resolved. */
export async function rejectionOf(promise: Promise<unknown>, reason: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error(reason);
}

/** The `code` of an error, if it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Resolves after `ms` of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
