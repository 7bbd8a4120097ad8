/** A run of non-space characters with an `@` in it: where a `user:password@` may hide. */
const TOKEN = /\S*@\S*/g;
/** Quotes and brackets a URL is wrapped in, kept as they are. */
const WRAPPING = '[^a-z0-9:]*';
/** `scheme://` — a well-formed URL, whose user name may be shown. */
const URL_START = new RegExp(`^${WRAPPING}[a-z][a-z0-9+.-]*://`, 'i');
/** A leading `scheme:` (with any slashes) or `user:` that is safe to keep. */
const LEADING_NAME = new RegExp(`^${WRAPPING}(?:[a-z][a-z0-9+.-]*:/*)?`, 'i');

/**
 * Removes passwords from text that may contain connection URLs or
 * `password=` settings, so an error message can be shown or logged safely.
 *
 * Every `…:…@host` shape is redacted, with or without a scheme and however
 * many slashes follow it (`redis:/:pw@h`, `postgres:user:pw@h`, `:pw@h`,
 * `user:pw@h`): the part between the first name and the last `@` of the
 * token becomes `***`, so an unencoded `@` or `:` in a password cannot end
 * the match early. `secrets` are scrubbed wherever they appear.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(TOKEN, redactToken).replace(/(\bpassword\s*=\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1***');
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

function redactToken(token: string): string {
  const at = token.lastIndexOf('@');
  const userInfo = token.slice(0, at);
  const urlStart = URL_START.exec(userInfo)?.[0];
  if (urlStart !== undefined) {
    const colon = userInfo.indexOf(':', urlStart.length);
    return colon === -1 ? token : `${userInfo.slice(0, colon + 1)}***${token.slice(at)}`;
  }
  return userInfo.includes(':') ? `${keptName(userInfo)}***${token.slice(at)}` : token;
}

/** `postgres:user:pw` keeps `postgres:`; `:pw` keeps nothing. */
function keptName(userInfo: string): string {
  const name = LEADING_NAME.exec(userInfo)?.[0] ?? '';
  return name.length < userInfo.length ? name : '';
}
