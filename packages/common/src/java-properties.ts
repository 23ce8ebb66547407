// java.util.Properties.load text format, so a RocketMQ broker.conf / namesrv.properties reads the
// same here as in Java:
//   - natural lines end at \n, \r or \r\n; a logical line continues onto the next natural line
//     while it ends in an odd number of backslashes, and the continuation's leading whitespace
//     (space, \t, \f) is dropped;
//   - a natural line whose first non-whitespace char is # or ! is a comment (only at the start
//     of a logical line, and a comment never continues); blank lines are skipped;
//   - the key ends at the first unescaped '=', ':' or whitespace; then whitespace, at most one
//     '=' or ':', and more whitespace are skipped; the rest is the value;
//   - escapes in keys and values: \t \n \r \f, \uXXXX, and backslash + any other char is that char;
//   - a later duplicate key wins.

import { InvalidArgumentError } from './errors.js';

/** Throws InvalidArgumentError (naming the line) for a malformed \uXXXX escape. */
export function parseJavaProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const { line, lineNumber } of logicalLines(text)) {
    const { key, value } = splitKeyValue(line, lineNumber);
    props.set(key, value);
  }
  return props;
}

interface LogicalLine {
  /** Still escaped; continuation backslashes and line breaks removed. */
  line: string;
  /** 1-based number of the natural line where it starts. */
  lineNumber: number;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function* logicalLines(text: string): Generator<LogicalLine> {
  let pos = 0;
  let lineNumber = 1;
  while (pos < text.length) {
    const startLine = lineNumber;
    let natural = readNaturalLine(text, pos);
    pos = natural.next;
    lineNumber++;
    const first = firstNonWhitespace(natural.content);
    if (first === natural.content.length) continue; // blank line
    const lead = natural.content[first];
    if (lead === '#' || lead === '!') continue; // comment, never continued
    let line = natural.content.slice(first);
    while (endsWithOddBackslashes(line)) {
      line = line.slice(0, -1);
      if (!natural.hadTerminator) break; // backslash at end of input: dropped
      natural = readNaturalLine(text, pos);
      pos = natural.next;
      lineNumber++;
      line += natural.content.slice(firstNonWhitespace(natural.content));
    }
    yield { line, lineNumber: startLine };
  }
}

function readNaturalLine(text: string, pos: number): { content: string; next: number; hadTerminator: boolean } {
  let end = pos;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  if (end === text.length) return { content: text.slice(pos), next: end, hadTerminator: false };
  const next = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
  return { content: text.slice(pos, end), next, hadTerminator: true };
}

function firstNonWhitespace(s: string): number {
  let i = 0;
  while (i < s.length && isWhitespace(s[i] ?? '')) i++;
  return i;
}

function endsWithOddBackslashes(s: string): boolean {
  let count = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) count++;
  return count % 2 === 1;
}

function splitKeyValue(line: string, lineNumber: number): { key: string; value: string } {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < line.length; keyEnd++) {
    const c = line[keyEnd] ?? '';
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isWhitespace(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
  }
  for (; valueStart < line.length; valueStart++) {
    const c = line[valueStart] ?? '';
    if (isWhitespace(c)) continue;
    if (!hasSeparator && (c === '=' || c === ':')) {
      hasSeparator = true;
      continue;
    }
    break;
  }
  return {
    key: unescape(line.slice(0, keyEnd), lineNumber),
    value: unescape(line.slice(valueStart), lineNumber),
  };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string, lineNumber: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = s[++i];
    if (next === undefined) break; // a lone trailing backslash carries nothing
    if (next === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        throw new InvalidArgumentError('text', `line ${lineNumber}: malformed \\uXXXX escape "\\u${hex}"`);
      }
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}
