import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { glob, isDynamicPattern } from 'tinyglobby';
import semver from 'semver';
import { formatDiagnostics } from './format-diagnostics.js';
import type { SyntaxProblem } from './parse-located-toml.js';
import { readManifestFile } from './read-manifest-file.js';
import { validateManifestSet, type ManifestSetFileResult } from './validate-manifest-set.js';

/** What the command line talks to; the real process in production, captured streams in tests. */
export interface CliIo {
  /** Working directory that relative paths and globs start from. */
  cwd: string;
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
  /** Whether standard output gets colours. */
  color: boolean;
}

const USAGE = `Usage: belfry-manifest validate <files or globs...> [--json] [--host-api <version>]

Validates plugin.toml manifests, each on its own and then as one set.

Options:
  --json                Print the diagnostics as a JSON array and nothing else
  --host-api <version>  Host plugin API version api_version must admit (default: this package's PLUGIN_API_VERSION)
  -h, --help            Show this help

Exit status: 0 all valid, 1 a manifest has errors, 2 bad usage or an unreadable file.`;

/** Raised for anything the user must fix on the command line; exits with 2. */
class UsageError extends Error {}

/**
 * Runs `belfry-manifest` with the arguments after the program name and
 * returns the exit status: 0 clean, 1 errors in a manifest, 2 bad usage
 * (unknown flag, no files, a file that cannot be read).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`belfry-manifest: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'validate') {
    throw new UsageError(command === undefined ? 'no command given' : `unknown command ${JSON.stringify(command)}`);
  }
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(rest);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help === true) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const hostApi = parsed.values['host-api'];
  if (hostApi !== undefined && semver.valid(hostApi) === null) {
    throw new UsageError(`--host-api must be a semver version such as 1.0.0 (got ${JSON.stringify(hostApi)})`);
  }
  if (parsed.positionals.length === 0) throw new UsageError('no manifest files given');

  const inputs = await readInputs(parsed.positionals, io.cwd);
  // A file too large or not UTF-8 has its one syntax diagnostic already and stays out of the set.
  const readable = inputs.filter((input) => input.problem === undefined).map(({ file, text }) => ({ file, text }));
  const result = validateManifestSet(readable, hostApi === undefined ? {} : { hostApiVersion: hostApi });
  const checked = new Map(result.files.map((file) => [file.file, file]));
  const files = inputs.map(({ file, problem }): ManifestSetFileResult => {
    if (problem === undefined) return checked.get(file) as ManifestSetFileResult;
    const { tier, severity, code, message, path, line, column } = problem;
    return { file, ok: false, diagnostics: [{ tier, severity, code, message, path, file, line, column }] };
  });
  const ok = files.every((file) => file.ok);

  if (parsed.values.json === true) {
    io.stdout(`${JSON.stringify(files.flatMap((file) => file.diagnostics), null, 2)}\n`);
    return ok ? 0 : 1;
  }
  const frames = files
    .map((file, index) => ({ file, text: (inputs[index] as ReadInput).text }))
    .filter(({ file }) => file.diagnostics.length > 0)
    .map(({ file, text }) => formatDiagnostics(file.diagnostics, text, { color: io.color }));
  if (frames.length > 0) io.stdout(`${frames.join('\n\n')}\n\n`);
  io.stdout(`${summary(files, io.color)}\n`);
  return ok ? 0 : 1;
}

function parseFlags(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      'host-api': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** A file named on the command line, read and decoded; `problem` when it cannot be validated. */
interface ReadInput {
  file: string;
  text: string;
  problem?: SyntaxProblem;
}

async function readInputs(patterns: readonly string[], cwd: string): Promise<ReadInput[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, onlyFiles: true, ignore: ['**/node_modules/**'], expandDirectories: false });
      if (matches.length === 0) throw new UsageError(`${JSON.stringify(pattern)} matched no files`);
      files.push(...matches.sort());
    } else {
      files.push(pattern);
    }
  }
  // One file named twice (a glob and `./a.toml`, or a path through a symbolic
  // link) is one manifest, not a plugin id claimed twice: compare real paths.
  const real = await Promise.all(files.map((file) => attempt(file, () => realpath(resolve(cwd, file)))));
  const byPath = new Map<string, string>();
  files.forEach((file, index) => {
    const path = real[index] as string;
    if (!byPath.has(path)) byPath.set(path, file);
  });
  return Promise.all(
    [...byPath].map(async ([path, file]) => {
      const { text, problem } = await attempt(file, () => readManifestFile(path));
      return problem === undefined ? { file, text } : { file, text, problem };
    }),
  );
}

/** Runs a file operation, turning its failure into a usage error that names the file. */
async function attempt<T>(file: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new UsageError(`cannot read ${JSON.stringify(file)} (${reason})`);
  }
}

function summary(files: readonly { ok: boolean; diagnostics: readonly { severity: string }[] }[], color: boolean): string {
  const errors = files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === 'error').length, 0);
  const warnings = files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === 'warning').length, 0);
  const failed = files.filter((f) => !f.ok).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const warningText = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
  const text =
    errors === 0
      ? `${plural(files.length, 'manifest')} valid${warningText}`
      : `${plural(errors, 'error')}${warningText} in ${failed} of ${plural(files.length, 'manifest')}`;
  if (!color) return text;
  return errors === 0 ? `\u001b[32m${text}\u001b[0m` : `\u001b[1m\u001b[31m${text}\u001b[0m`;
}
