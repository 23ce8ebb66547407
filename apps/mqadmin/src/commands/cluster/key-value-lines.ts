// `key: value` listings laid out like RocketMQ's printf formats (`%-32s: %s` for brokerStatus,
// `%-50s=  %s` for getBrokerConfig): the key padded to a fixed width, so the values line up. On a
// terminal narrower than a line, the value goes on over further lines that start under the
// value's first character (or, when the key leaves too little room, indented a little).

export interface KeyValueLayout {
  /** printed before each key (brokerStatus -c: the broker address) */
  readonly prefix?: string;
  /** the key is padded to this many characters */
  readonly keyWidth: number;
  /** between the padded key and the value, e.g. `: ` */
  readonly separator: string;
}

/** Narrowest room for a wrapped value before it moves to lines of its own. */
const VALUE_WIDTH_MIN = 16;
const CONTINUATION_INDENT = 4;

export function keyValueLines(entries: Iterable<readonly [string, string]>, layout: KeyValueLayout, width: number): string[] {
  const lines: string[] = [];
  for (const [key, value] of entries) {
    const head = `${layout.prefix ?? ''}${key.padEnd(layout.keyWidth)}${layout.separator}`;
    const text = value.replace(/[\r\n\t]+/g, ' ');
    if (!Number.isFinite(width) || head.length + text.length <= width) {
      lines.push(`${head}${text}`.trimEnd());
    } else if (width - head.length >= VALUE_WIDTH_MIN) {
      const [first, ...rest] = wrapText(text, width - head.length);
      lines.push(`${head}${first ?? ''}`.trimEnd(), ...rest.map((piece) => `${' '.repeat(head.length)}${piece}`));
    } else {
      // a key too long to leave the value room: the key on lines of its own, then the value
      const valueWidth = Math.max(1, width - CONTINUATION_INDENT);
      lines.push(...wrapText(head.trimEnd(), Math.max(1, width)), ...wrapText(text, valueWidth).map((piece) => `${' '.repeat(CONTINUATION_INDENT)}${piece}`));
    }
  }
  return lines;
}

/** `text` in lines of at most `size` characters, broken after a space where there is one. */
function wrapText(text: string, size: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const space = rest.lastIndexOf(' ', size);
    const cut = space > 0 ? space : size;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || out.length === 0) out.push(rest);
  return out;
}
