/**
 * Removes passwords from text that may contain a connection URL or a
 * `password=` setting, so an error message can be shown or logged safely.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
    // Greedy up to the last '@' of the token: an unencoded '@' in a password must not end the match early.
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)\S*@/gi, '$1***@')
    .replace(/(\bpassword\s*=\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1***');
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
