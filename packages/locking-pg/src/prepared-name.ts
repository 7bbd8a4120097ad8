import { createHash } from 'node:crypto';

/**
 * The name a statement is prepared under on a direct session: derived from
 * its text, so instances sharing a pool (other tables, other sequences)
 * never ask one connection to prepare two texts under one name.
 */
export function preparedName(text: string): string {
  return `belfry_${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32)}`;
}
