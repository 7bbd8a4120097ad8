import { describeValue } from '@belfry/internal';

/** The `code` of a thrown value, when it has a string one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Never throws: plugins and callbacks may throw anything, even a value with no string form (`Object.create(null)`). */
export function messageOf(error: unknown): string {
  if (error instanceof Error && typeof error.message === 'string') return error.message;
  try {
    return String(error);
  } catch {
    return describeValue(error);
  }
}
