/** `scheme://user:password@` — the password part is what must never be shown. */
const CREDENTIALS_IN_URL = /([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@\s]*@/gi;

/**
 * Replaces passwords embedded in URLs anywhere in `text` with `***`, so a
 * connection string can appear in an error message without its secret.
 */
export function redactSecrets(text: string): string {
  return text.replace(CREDENTIALS_IN_URL, '$1***@');
}
