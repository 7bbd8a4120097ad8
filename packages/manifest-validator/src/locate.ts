import type { PathLocations } from './parse-located-toml.js';
import type { Position } from './position-at.js';
import { tomlPath } from './toml-path.js';

/**
 * Where to point for `segments`: its key or its value when the path was
 * written, otherwise the header or key of the nearest ancestor that was
 * (a missing key is reported where its table starts), otherwise 1:1.
 */
export function locate(
  locations: PathLocations,
  segments: readonly (string | number)[],
  prefer: 'key' | 'value',
): Position {
  const exact = locations.get(tomlPath(segments));
  if (exact !== undefined) return prefer === 'key' ? (exact.key ?? exact.value) : exact.value;
  for (let length = segments.length - 1; length > 0; length -= 1) {
    const ancestor = locations.get(tomlPath(segments.slice(0, length)));
    if (ancestor !== undefined) return ancestor.value;
  }
  return { line: 1, column: 1 };
}
