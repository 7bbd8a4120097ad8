/**
 * Removes passwords from text that may contain a connection URL or a
 * `password=` setting, so an error message can be shown or logged safely.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(\bpassword\s*=\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1***');
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
