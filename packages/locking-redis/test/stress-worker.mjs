// One contending node for stress.test.ts: takes random keys for a bounded
// time and reports every hold it had. Runs the built package, as a user would.
import { RedisLocking } from '../dist/index.js';

const { urls, keyPrefix, keys, durationMs, ttlMs } = JSON.parse(process.argv[2]);
const locking = new RedisLocking({ url: urls, keyPrefix });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => process.hrtime.bigint(); // CLOCK_MONOTONIC: comparable across processes on one host
// What a holder may rely on: the TTL from when it asked, less Redlock's drift allowance (default 0.01 and 2 ms).
const validity = BigInt(Math.floor((ttlMs - ttlMs * 0.01 - 2) * 1_000_000));
const holds = [];
let contended = 0;
let refused = 0;
/** A call the backend refused (too slow to stay valid, or lock lost): counted, never a hold. Anything else is a failure. */
function unavailable(error) {
  if (error?.code !== 'lock_backend' && error?.code !== 'lock_lost') throw error;
  refused += 1;
  return undefined;
}
const stopAt = Date.now() + durationMs;
while (Date.now() < stopAt) {
  const key = keys[Math.floor(Math.random() * keys.length)];
  const sentAt = now();
  // On a starved machine a lock may take longer than its TTL leaves valid: the backend then refuses it (lock_backend), as it must.
  const handle = await locking.tryLock(key, ttlMs).catch(unavailable);
  if (handle === undefined) continue;
  if (handle === null) {
    contended += 1;
    await sleep(Math.random() * 2);
    continue;
  }
  const start = now();
  let validUntil = sentAt + validity;
  await sleep(Math.random() * 4);
  if (Math.random() < 0.3) {
    const renewSentAt = now();
    // A renewal that failed leaves only the validity the holder already had.
    if ((await locking.renew(handle).then(() => true, unavailable)) === true) validUntil = renewSentAt + validity;
  }
  const abandon = Math.random() < 0.03; // a crashed holder: never releases, the lock must expire
  const end = now();
  holds.push({ key, fence: handle.fence, start: String(start), end: String(end < validUntil ? end : validUntil) });
  if (!abandon) await locking.release(handle).catch(unavailable);
}
await locking.cleanup();
process.send({ holds, contended, refused }, () => process.exit(0));
