/**
 * The password of a parsed URL as written and percent-decoded, so a driver
 * message quoting either form can be scrubbed. Empty when there is none.
 */
export function urlSecrets(url: URL): string[] {
  if (url.password === '') return [];
  let decoded = url.password;
  try {
    decoded = decodeURIComponent(url.password);
  } catch {
    // A stray "%" is kept as written; the raw form is scrubbed either way.
  }
  return [...new Set([url.password, decoded])];
}
