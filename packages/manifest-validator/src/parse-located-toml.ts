import { ParseError, parseTOML, type AST } from 'toml-eslint-parser';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';
import { enclosingTable } from './enclosing-table.js';
import { findLimitBreach } from './find-limit-breach.js';
import { MAX_MANIFEST_LENGTH, MAX_NESTING_DEPTH, MAX_TOKEN_LENGTH } from './limits.js';
import { positionAt, type Position } from './position-at.js';

/** Where a path was written: its key (absent for array elements) and its value or table header. */
interface PathLocation {
  key?: Position;
  value: Position;
}

/** Where each path was written, keyed by `tomlPath(segments)`; the first place wins. */
export interface PathLocations {
  get(path: string): PathLocation | undefined;
}

/** A parsed document and where each of its paths was written. */
export interface LocatedToml {
  /** The document as plain data; tables have no prototype, so any key is safe. */
  value: Record<string, unknown>;
  /**
   * Built on first use: a valid manifest never needs a position, so the
   * cost of recording every key's is paid only when there is something to report.
   */
  locations: PathLocations;
}

/** A syntax-tier problem, without the file name. */
export type SyntaxProblem = Omit<Diagnostic, 'file'>;

class NestingTooDeep extends Error {
  constructor(readonly at: Position) {
    super('nesting too deep');
  }
}

/**
 * Parses TOML text, keeping the line and column of every key and value.
 * Returns the one syntax problem that stops parsing instead of throwing:
 * TOML cannot be read past its first error. Oversized and overly nested
 * input is refused before the parser sees it.
 */
export function parseLocatedToml(rawText: string): LocatedToml | SyntaxProblem {
  if (rawText.length > MAX_MANIFEST_LENGTH) {
    return syntaxProblem(
      'file_too_large',
      `The manifest is ${rawText.length} characters long; the limit is ${MAX_MANIFEST_LENGTH}. A plugin.toml is a few hundred bytes: check that this is the right file.`,
      { line: 1, column: 1 },
    );
  }
  // Editors do not count a byte-order mark as a column; neither do we.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const breach = findLimitBreach(text, MAX_NESTING_DEPTH, MAX_TOKEN_LENGTH);
  if (breach?.reason === 'depth') {
    return syntaxProblem(
      'nesting_too_deep',
      `Arrays and inline tables are nested more than ${MAX_NESTING_DEPTH} levels deep here; a manifest never needs that.`,
      positionAt(text, breach.offset),
    );
  }
  if (breach?.reason === 'token') {
    return syntaxProblem(
      'token_too_long',
      `A single key or value starting here is longer than ${MAX_TOKEN_LENGTH} characters; a manifest never needs that.`,
      positionAt(text, breach.offset),
    );
  }
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text, { tomlVersion: '1.0' });
  } catch (error) {
    if (error instanceof ParseError) {
      const at = clampPosition(text, { line: error.lineNumber, column: error.column + 1 });
      return { ...syntaxProblem('toml_syntax', `Not valid TOML: ${lowerFirst(error.message)}.`, at), path: enclosingTable(text, at.line) };
    }
    return syntaxProblem('toml_syntax', `Not valid TOML: the parser gave up (${describeError(error)}).`, { line: 1, column: 1 });
  }
  try {
    const { value } = buildDocument(program, false);
    let built: Map<string, PathLocation> | undefined;
    const locations: PathLocations = {
      get: (path) => {
        built ??= buildDocument(program, true).locations;
        return built.get(path);
      },
    };
    return { value, locations };
  } catch (error) {
    if (error instanceof NestingTooDeep) {
      return syntaxProblem(
        'nesting_too_deep',
        `Keys are nested more than ${MAX_NESTING_DEPTH} levels deep here; a manifest never needs that.`,
        error.at,
      );
    }
    throw error;
  }
}

/** A path while walking: its depth and its `tomlPath` text, extended one segment at a time. */
interface Walk {
  depth: number;
  text: string;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function child(walk: Walk, segment: string | number): Walk {
  if (typeof segment === 'number') return { depth: walk.depth + 1, text: `${walk.text}[${segment}]` };
  const key = BARE_KEY.test(segment) ? segment : JSON.stringify(segment);
  return { depth: walk.depth + 1, text: walk.text === '' ? key : `${walk.text}.${key}` };
}

function buildDocument(program: AST.TOMLProgram, withLocations: boolean): { value: Record<string, unknown>; locations: Map<string, PathLocation> } {
  const root: Record<string, unknown> = Object.create(null);
  const locations = new Map<string, PathLocation>();
  // Tables a header only passes through (`plugin` in `[plugin.poller]`): their own header, if one comes later, is where they are.
  const implicit = new Set<string>();
  const record = (walk: Walk, location: PathLocation, passedThrough = false): void => {
    if (!withLocations) return;
    if (!locations.has(walk.text)) {
      locations.set(walk.text, location);
      if (passedThrough) implicit.add(walk.text);
    } else if (!passedThrough && implicit.delete(walk.text)) {
      locations.set(walk.text, location);
    }
  };

  const addKeyValue = (container: Record<string, unknown>, base: Walk, node: AST.TOMLKeyValue): void => {
    const parts = node.key.keys;
    let target = container;
    let walk = base;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i] as AST.TOMLBare | AST.TOMLQuoted;
      const name = part.type === 'TOMLBare' ? part.name : part.value;
      walk = child(walk, name);
      const at = start(part);
      if (walk.depth > MAX_NESTING_DEPTH) throw new NestingTooDeep(at);
      if (i === parts.length - 1) {
        record(walk, { key: at, value: start(node.value) });
        target[name] = convert(node.value, walk);
      } else {
        record(walk, { key: at, value: at });
        target = childTable(target, name);
      }
    }
  };

  const convert = (node: AST.TOMLContentNode, walk: Walk): unknown => {
    if (node.type === 'TOMLValue') return node.value;
    if (walk.depth > MAX_NESTING_DEPTH) throw new NestingTooDeep(start(node));
    if (node.type === 'TOMLArray') {
      return node.elements.map((element, index) => {
        const elementWalk = child(walk, index);
        record(elementWalk, { value: start(element) });
        return convert(element, elementWalk);
      });
    }
    const table: Record<string, unknown> = Object.create(null);
    for (const entry of node.body) addKeyValue(table, walk, entry);
    return table;
  };

  const top = program.body[0];
  const rootWalk: Walk = { depth: 0, text: '' };
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') {
      addKeyValue(root, rootWalk, item);
      continue;
    }
    // resolvedKey interleaves array-of-tables indices with the header's key parts.
    const header = start(item);
    if (item.resolvedKey.length > MAX_NESTING_DEPTH) throw new NestingTooDeep(header);
    let walk = rootWalk;
    let target: Record<string, unknown> = root;
    let part = 0;
    item.resolvedKey.forEach((segment, index) => {
      walk = child(walk, segment);
      const passedThrough = index < item.resolvedKey.length - 1;
      if (typeof segment === 'number') {
        record(walk, { value: header }, passedThrough);
        target = arrayElementTable(target, segment);
      } else {
        const keyNode = item.key.keys[part] as AST.TOMLBare | AST.TOMLQuoted;
        part += 1;
        record(walk, { key: start(keyNode), value: header }, passedThrough);
        const nextIsIndex = typeof item.resolvedKey[index + 1] === 'number';
        target = nextIsIndex ? arrayHolder(target, segment) : childTable(target, segment);
      }
    });
    for (const entry of item.body) addKeyValue(target, walk, entry);
  }
  return { value: root, locations };
}

/*
 * The parser has already rejected redefinitions, so these only create or
 * reuse. Every table has a null prototype, so plain assignment of any key,
 * `__proto__` included, makes an own property.
 */

function childTable(container: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
  if (Array.isArray(existing)) return lastTable(existing);
  if (isTable(existing)) return existing;
  const table: Record<string, unknown> = Object.create(null);
  container[key] = table;
  return table;
}

function arrayHolder(container: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
  if (Array.isArray(existing)) return existing as unknown as Record<string, unknown>;
  const list: unknown[] = [];
  container[key] = list;
  return list as unknown as Record<string, unknown>;
}

function arrayElementTable(holder: Record<string, unknown>, index: number): Record<string, unknown> {
  const list = holder as unknown as unknown[];
  const existing = list[index];
  if (isTable(existing)) return existing;
  const table: Record<string, unknown> = Object.create(null);
  list[index] = table;
  return table;
}

function lastTable(list: unknown[]): Record<string, unknown> {
  const last = list[list.length - 1];
  if (isTable(last)) return last;
  const table: Record<string, unknown> = Object.create(null);
  list.push(table);
  return table;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}


function start(node: { loc: { start: { line: number; column: number } } }): Position {
  return { line: node.loc.start.line, column: node.loc.start.column + 1 };
}

function clampPosition(text: string, at: Position): Position {
  const lines = text.split('\n');
  const line = Math.min(Math.max(1, at.line), lines.length);
  const length = (lines[line - 1] ?? '').replace(/\r$/, '').length;
  return { line, column: Math.min(Math.max(1, at.column), length + 1) };
}

function syntaxProblem(code: DiagnosticCode, message: string, at: Position): SyntaxProblem {
  return { tier: 'syntax', severity: 'error', code, message, path: '', line: at.line, column: at.column };
}

function lowerFirst(message: string): string {
  const trimmed = message.replace(/\.$/, '');
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

function describeError(error: unknown): string {
  if (error instanceof RangeError) return 'out of stack space';
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}
