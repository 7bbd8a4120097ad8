/** How a call settled and how long it took; a call still pending after `giveUpMs` counts as a hang. */
export async function settle(call: () => Promise<unknown>, giveUpMs = 10_000): Promise<{ outcome: 'resolved' | 'rejected' | 'hung'; value: unknown; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), giveUpMs);
  });
  try {
    const value = await Promise.race([call(), hung]);
    if (value === 'hung') return { outcome: 'hung', value: undefined, ms: performance.now() - started };
    return { outcome: 'resolved', value, ms: performance.now() - started };
  } catch (error) {
    return { outcome: 'rejected', value: error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Retries `attempt` until it returns a non-null value or `timeoutMs` passes. */
export async function eventually<T>(attempt: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== null) return value;
      last = 'null';
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
