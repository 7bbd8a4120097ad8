/**
 * Largest manifest accepted, in UTF-16 code units (128 KiB of ASCII). A
 * real plugin.toml is a few hundred bytes; the cap keeps a hostile or
 * mistaken input (a log file, a binary) answering in milliseconds, and a
 * file at the cap well within a second, instead of being parsed for seconds.
 */
export const MAX_MANIFEST_LENGTH = 131_072;

/**
 * Deepest nesting of arrays, inline tables and dotted keys accepted. The
 * TOML parser recurses per level and would overflow the stack at a few
 * thousand; no manifest needs more than a handful.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * Longest single string, key or bare value accepted, in characters. The
 * parser passes each token's characters as one call's arguments, which
 * overflows the stack at around a hundred thousand.
 */
export const MAX_TOKEN_LENGTH = 32_768;

/**
 * Most schedules one manifest may declare. Each is parsed with its time
 * zone, so the cap keeps a pathological file within the one-second budget.
 */
export const MAX_SCHEDULES = 1000;
