/**
 * Whether output to a stream should be coloured: only a terminal, and never
 * when `NO_COLOR` is set to anything but the empty string (no-color.org).
 */
export function useColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return stream.isTTY === true;
}
