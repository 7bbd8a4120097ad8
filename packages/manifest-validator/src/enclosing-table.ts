/**
 * The header of the table a syntax error sits in, as written (`plugin.poller`),
 * or `""` at the top level: the parse tree is gone, so this reads the lines.
 */
export function enclosingTable(text: string, line: number): string {
  const lines = text.split('\n', line);
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i -= 1) {
    const header = tableHeader(lines[i] as string);
    if (header === undefined) continue;
    if (!header.array) return header.name;
    // An element of an array of tables: its index is the number of same headers before it.
    const index = lines.slice(0, i).filter((earlier) => {
      const other = tableHeader(earlier);
      return other !== undefined && other.array && other.name === header.name;
    }).length;
    return `${header.name}[${index}]`;
  }
  return '';
}

function tableHeader(line: string): { name: string; array: boolean } | undefined {
  const header = /^\s*(\[\[?)\s*([\w\-."' ]+?)\s*\]\]?\s*(?:#.*)?\r?$/.exec(line);
  if (header === null) return undefined;
  return { name: (header[2] as string).replace(/\s*\.\s*/g, '.').slice(0, 200), array: header[1] === '[[' };
}
