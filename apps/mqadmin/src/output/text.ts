// Plain text lines fitted to a terminal width. A line that is too long breaks after the last
// ", " or space that fits (anywhere, if none does), and its continuation lines are indented to
// where its value starts: after a `Label:   ` prefix (queryMsgById's detail block) or after
// the line's own leading spaces.

const LABEL_PREFIX = /^[^\s:][^:]{0,38}:\s+/;

export function fitLines(text: string, widthMax: number): string {
  if (!Number.isFinite(widthMax)) return text;
  return text.split('\n').map((line) => (line.length <= widthMax ? line : wrapLine(line, widthMax).join('\n'))).join('\n');
}

function wrapLine(line: string, widthMax: number): string[] {
  const label = LABEL_PREFIX.exec(line)?.[0].length ?? 0;
  const leading = /^ */.exec(line)![0].length;
  const indentWidth = Math.max(label, leading);
  const indent = ' '.repeat(indentWidth < widthMax / 2 ? indentWidth : 0);
  const parts: string[] = [];
  let rest = line;
  let prefix = '';
  while (prefix.length + rest.length > widthMax) {
    const room = widthMax - prefix.length;
    const cut = breakAt(rest, room);
    parts.push(prefix + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent;
  }
  parts.push(prefix + rest);
  return parts;
}

/** Where to break `text` so that the first piece fits in `room`: after a ", " or a space, else at `room`. */
function breakAt(text: string, room: number): number {
  const window = text.slice(0, room + 1);
  const comma = window.lastIndexOf(', ');
  if (comma > room / 3 && comma + 1 <= room) return comma + 2;
  const space = window.lastIndexOf(' ');
  if (space > room / 3) return space + 1;
  return Math.max(1, room);
}
