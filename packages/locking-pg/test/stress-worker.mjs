// One contending node for stress.test.ts: takes random keys for a bounded
// time and reports every hold it had. Runs the built package, as a user would.
import { PgLocking } from '../dist/index.js';

const { connectionString, mode, table, keyPrefix, keys, durationMs, ttlMs } = JSON.parse(process.argv[2]);
const locking = new PgLocking({ connectionString, mode, table, keyPrefix, maxConnections: 4 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => process.hrtime.bigint(); // CLOCK_MONOTONIC: comparable across processes on one host
const holds = [];
let contended = 0;
let failed = 0;
/** A call that failed as the contract allows under load: counted, never a reason to stop. */
function failedCall(error) {
  if (error?.code !== 'lock_backend' && error?.code !== 'lock_lost') throw error;
  failed += 1;
  return undefined;
}
const stopAt = Date.now() + durationMs;
while (Date.now() < stopAt) {
  const key = keys[Math.floor(Math.random() * keys.length)];
  const sentAt = now();
  // On a saturated machine a call may exceed its bound (a commit waiting long for its WAL flush keeps its row
  // locked): the call fails with lock_backend and, as any node would, this one tries again. Safety is what is checked.
  const handle = await locking.tryLock(key, ttlMs).catch(failedCall);
  if (handle === undefined) continue;
  if (handle === null) {
    contended += 1;
    await sleep(Math.random() * 2);
    continue;
  }
  const start = now();
  // The holder may rely on the lock only until ttl after it asked for it.
  let validUntil = sentAt + BigInt(ttlMs) * 1_000_000n;
  await sleep(Math.random() * 4);
  if (Math.random() < 0.3) {
    const renewSentAt = now();
    // A renew that fails leaves the hold valid only until its previous deadline.
    if ((await locking.renew(handle).then(() => true, failedCall)) === true) validUntil = renewSentAt + BigInt(ttlMs) * 1_000_000n;
  }
  const abandon = Math.random() < 0.03; // a crashed holder: never releases, the lock must expire
  const end = now();
  holds.push({ key, fence: handle.fence, start: String(start), end: String(end < validUntil ? end : validUntil), abandoned: abandon });
  if (!abandon) await locking.release(handle).catch(failedCall);
}
await locking.cleanup();
process.send({ holds, contended, failed }, () => process.exit(0));
