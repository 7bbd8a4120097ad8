/** Longest piece of user text quoted in a message. */
const SHOWN_CHARS = 80;

/** `text` cut to about 80 characters for a message, saying how long it really is. */
export function shownText(text: string): string {
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS - 20)}… (${text.length} characters)`;
}
