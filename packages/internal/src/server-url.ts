import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';
import { redactSecrets } from './redact-secrets.js';

/** Where a URL came from and which schemes it may use, for the error message. */
export interface ServerUrlRules {
  /** Accepted schemes without the colon, e.g. `['redis', 'rediss']`. */
  schemes: readonly string[];
  /** Names the option or setting, e.g. `RedisLocking option url`. */
  where: string;
  /** An example of a good URL for the message, e.g. `redis://127.0.0.1:6379`. */
  example: string;
}

/**
 * Checks that a server URL is well formed — an accepted scheme, `//` and a
 * host — and returns it parsed. A malformed URL is never echoed: a driver
 * would read it as a socket path or a host name and print the password in
 * its own error, so the message says what is wrong instead of showing it.
 */
export function parseServerUrl(url: unknown, rules: ServerUrlRules): URL {
  if (typeof url !== 'string') {
    throw invalid(rules, `got ${describeValue(url)}`);
  }
  const problem = urlProblem(url, rules.schemes);
  if (problem !== undefined) throw invalid(rules, problem);
  return new URL(url);
}

/** A URL as it may appear in a message: password redacted. */
export function showUrl(url: string): string {
  return JSON.stringify(redactSecrets(url));
}

function urlProblem(url: string, schemes: readonly string[]): string | undefined {
  if (/\s/.test(url)) return 'it contains whitespace; a list of servers goes in separate settings, one URL each';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (scheme === undefined) return 'it has no scheme';
  if (!schemes.includes(scheme.toLowerCase())) return `its scheme is "${scheme}:"`;
  if (!url.slice(scheme.length + 1).startsWith('//')) return `"${scheme}:" is not followed by "//"`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'it is not a valid URL (a password with reserved characters must be percent-encoded)';
  }
  if (parsed.hostname === '') return 'it has no host';
  return undefined;
}

function invalid(rules: ServerUrlRules, problem: string): InvalidArgumentError {
  const accepted = rules.schemes.map((scheme) => `${scheme}://`).join(' or ');
  return new InvalidArgumentError(`${rules.where} must be a ${accepted} URL such as ${rules.example}, but ${problem}`);
}
