import { firstInvalidUtf8 } from '@belfry/internal';
import { enclosingTable } from './enclosing-table.js';
import { MAX_MANIFEST_LENGTH } from './limits.js';
import type { SyntaxProblem } from './parse-located-toml.js';
import { positionAt } from './position-at.js';

/** A file's bytes as text, and the syntax problem that stops it being validated, if any. */
export interface DecodedManifest {
  /** The text; when there is a problem, decoded leniently (bad bytes as U+FFFD) for code frames only. */
  text: string;
  problem?: SyntaxProblem;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Decodes a plugin.toml's bytes as UTF-8, refusing what is not: a lenient
 * decoder would turn a Latin-1 `é` into U+FFFD and the manifest would
 * validate with a value its author never wrote. More than
 * `MAX_MANIFEST_LENGTH` bytes is `file_too_large` (a reader need never read
 * past one byte over); bytes that are not UTF-8 are `invalid_utf8` at the
 * line and column of the first one. A byte-order mark is dropped.
 */
export function decodeManifestBytes(bytes: Uint8Array): DecodedManifest {
  if (bytes.length > MAX_MANIFEST_LENGTH) {
    const text = lenient.decode(bytes.subarray(0, MAX_MANIFEST_LENGTH));
    const message = `The file is more than ${MAX_MANIFEST_LENGTH} bytes long; the limit is ${MAX_MANIFEST_LENGTH}. A plugin.toml is a few hundred bytes: check that this is the right file.`;
    return { text, problem: { tier: 'syntax', severity: 'error', code: 'file_too_large', message, path: '', line: 1, column: 1 } };
  }
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const { offset, length } = firstInvalidUtf8(bytes);
    const text = lenient.decode(bytes);
    const before = lenient.decode(bytes.subarray(0, offset));
    const { line, column } = positionAt(before, before.length);
    const shown = [...bytes.subarray(offset, offset + length)].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    const message = `The file is not UTF-8: ${length === 1 ? 'the byte' : 'the bytes'} ${shown} here ${length === 1 ? 'does' : 'do'} not begin a character. Save the manifest as UTF-8 (an editor's "encoding" setting), or check that this is the right file.`;
    return { text, problem: { tier: 'syntax', severity: 'error', code: 'invalid_utf8', message, path: enclosingTable(text, line), line, column } };
  }
}
