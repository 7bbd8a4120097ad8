/** Why a tick's result is not a TickAck `{ cursor, metrics? }`, or null when it is one. */
export function tickAckProblem(result: unknown): string | null {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return `the result ${show(result)} is not an object { cursor, metrics? }`;
  const ack = result as { cursor?: unknown; metrics?: unknown };
  if (!('cursor' in ack)) return 'the result has no "cursor" (use null for none)';
  if (ack.metrics === undefined) return null;
  if (typeof ack.metrics !== 'object' || ack.metrics === null || Array.isArray(ack.metrics)) return `"metrics" ${show(ack.metrics)} is not an object of numbers`;
  const entries = Object.entries(ack.metrics);
  if (entries.length > 100) return `"metrics" has ${entries.length} entries; at most 100 are allowed`;
  const bad = entries.find(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
  return bad === undefined ? null : `metric ${JSON.stringify(bad[0])} is ${show(bad[1])}, not a finite number`;
}

function show(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 200);
}
