/** Readable output for people; scripts use `--json`. */

/**
 * Names and descriptions come from members: a control character (an ANSI escape, a carriage
 * return) printed raw could rewrite what the operator sees, so they are shown as \uXXXX.
 */
export function printable(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return out;
}

export function time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Aligned `label  value` lines. */
export function fields(pairs: Array<[string, string]>): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${label.padEnd(width)}  ${printable(value)}`).join('\n') + '\n';
}

/** A table with an upper-case header row and columns padded to their widest cell. */
export function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((row) => row.map(printable))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
