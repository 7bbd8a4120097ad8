/** Where and how a text breaks the parser's safe limits. */
export interface LimitBreach {
  /** 0-based offset of the opening bracket or the start of the token. */
  offset: number;
  reason: 'depth' | 'token';
}

const DELIMITERS = new Set([' ', '\t', '\n', '\r', '[', ']', '{', '}', '"', "'", '=', ',', '#']);

/**
 * Scans TOML text, skipping comments, for bracket nesting deeper than
 * `maxDepth` and for a string or bare token longer than `maxTokenLength`.
 * It runs before the parser, which recurses once per nesting level and
 * spreads each token into one call's arguments, so either overflows the
 * stack past a few thousand levels or about a hundred thousand characters.
 * Malformed quoting can only make it see too little or too much, never loop.
 */
export function findLimitBreach(text: string, maxDepth: number, maxTokenLength: number): LimitBreach | undefined {
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (ch === '"' || ch === "'") {
      const triple = text.startsWith(ch.repeat(3), i);
      const end = triple ? skipMultiline(text, i + 3, ch) : skipSingleLine(text, i + 1, ch);
      if (end - i > maxTokenLength) return { offset: i, reason: 'token' };
      i = end;
    } else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth > maxDepth) return { offset: i, reason: 'depth' };
      i += 1;
    } else if (ch === ']' || ch === '}') {
      if (depth > 0) depth -= 1;
      i += 1;
    } else if (DELIMITERS.has(ch)) {
      i += 1;
    } else {
      const startAt = i;
      while (i < n && !DELIMITERS.has(text[i] as string)) i += 1;
      if (i - startAt > maxTokenLength) return { offset: startAt, reason: 'token' };
    }
  }
  return undefined;
}

function skipSingleLine(text: string, from: number, quote: string): number {
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') return i;
    if (ch === '\\' && quote === '"') i += 2;
    else if (ch === quote) return i + 1;
    else i += 1;
  }
  return i;
}

function skipMultiline(text: string, from: number, quote: string): number {
  const close = quote.repeat(3);
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\' && quote === '"') i += 2;
    else if (text.startsWith(close, i)) return i + 3;
    else i += 1;
  }
  return i;
}
