import { InvalidArgumentError } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';

/** Reads an optional integer option of `new Scheduler(...)`: at least `min`, else `fallback` when absent. */
export function integerOption(value: unknown, name: string, fallback: number, { min }: { min: 0 | 1 }): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidArgumentError(
      `Scheduler option "${name}" must be a ${min === 0 ? 'non-negative' : 'positive'} integer (got ${describeValue(value)})`,
    );
  }
  return value;
}
