/** Failure classes by what a server or ioredis said, each with the fix that helps. */
const FIXES: ReadonlyArray<[RegExp, string]> = [
  [/NOAUTH/, 'the server requires a password: put it in the URL (redis://:password@host:port) or the client options'],
  [/WRONGPASS|invalid password|invalid username-password/i, 'correct the user name and password in the URL or the client options'],
  [/NOPERM/, 'grant this Redis user EVAL, EVALSHA and the lock keys (ACL SETUSER), or use another user'],
  [/ENOTFOUND|EAI_AGAIN/, 'correct the host name in the URL'],
  [/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|not connected|connection closed|Connection is closed/i, 'start the server, or correct the host and port in the URL'],
  [/no reply within/, 'the server is stalled or overloaded (a long script, DEBUG SLEEP, a network black hole); raise timeoutMs only if it is merely slow'],
  [/READONLY/, 'point the URL at the primary, not a replica'],
  [/OOM/, 'free memory on the server or raise maxmemory'],
];

/** `Fix: …` for the failure reasons given, or `''` when none is recognised. */
export function redisFix(reasons: readonly string[]): string {
  const fixes = new Set<string>();
  for (const reason of reasons) {
    const match = FIXES.find(([pattern]) => pattern.test(reason));
    if (match !== undefined) fixes.add(match[1]);
  }
  return fixes.size === 0 ? '' : ` Fix: ${[...fixes].join('; ')}.`;
}
