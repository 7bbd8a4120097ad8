import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from './describe-value.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Checks that a schema, table or sequence name is a plain identifier and
 * returns it double-quoted. Names are never user data, but they are
 * spliced into SQL text, so anything but letters, digits and `_` is refused.
 * `where` names the option in the message, e.g. `PgLocking option "table"`.
 */
export function quoteIdentifier(name: unknown, where: string): string {
  if (typeof name !== 'string' || !PLAIN_IDENTIFIER.test(name)) {
    throw new InvalidArgumentError(
      `${where} must be a plain identifier of letters, digits and _ (at most 63 characters, not starting with a digit) (got ${describeValue(name)})`,
    );
  }
  return `"${name}"`;
}
