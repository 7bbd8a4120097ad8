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
const stopAt = Date.now() + durationMs;
while (Date.now() < stopAt) {
  const key = keys[Math.floor(Math.random() * keys.length)];
  const sentAt = now();
  const handle = await locking.tryLock(key, ttlMs);
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
    await locking.renew(handle);
    validUntil = renewSentAt + validity;
  }
  const abandon = Math.random() < 0.03; // a crashed holder: never releases, the lock must expire
  const end = now();
  holds.push({ key, fence: handle.fence, start: String(start), end: String(end < validUntil ? end : validUntil) });
  if (!abandon) await locking.release(handle);
}
await locking.cleanup();
process.send({ holds, contended }, () => process.exit(0));
