import { posix } from 'node:path';

/**
 * Why `entry` cannot be loaded from inside the plugin folder, or `undefined`
 * when it can. Backslashes count as separators so a Windows-style path is
 * judged the same way on every platform.
 */
export function entryProblem(entry: string): string | undefined {
  if (entry.includes('\0')) return 'must not contain a NUL character';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(entry) || entry.startsWith('/') || entry.startsWith('\\')) {
    return 'must be a path relative to the plugin folder, such as "./dist/index.js"';
  }
  const normalised = posix.normalize(entry.replace(/\\/g, '/'));
  if (normalised === '..' || normalised.startsWith('../')) return 'must stay inside the plugin folder (it climbs out with "..")';
  if (normalised === '.' || normalised === './' || normalised.endsWith('/')) return 'must name a file, not a folder';
  return undefined;
}
