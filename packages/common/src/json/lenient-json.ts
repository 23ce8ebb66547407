// A JSON parser that accepts what fastjson (Java's RocketMQ serializer) writes, which is not
// always JSON: map keys of non-string maps are written unquoted (`{0:"10.0.0.1:10911"}`), maps
// keyed by objects put the object itself in key position
// (`{{"brokerName":"b","queueId":0,"topic":"T"}:5}`), and fastjson also reads single-quoted
// strings, identifier keys and `\xHH` escapes. Standard JSON parses to the same value as
// JSON.parse would give.
//
// Values: objects are plain objects (own "__proto__" keys are kept as data), arrays, strings,
// booleans, null, numbers; integers outside the safe range become bigint so that longs from Java
// keep every digit. A key that is not a string becomes a string: an unquoted number or identifier
// as written, an object or array key as its compact standard JSON text.
//
// Total: any input gets a result; nesting is capped at JSON_NESTING_DEPTH_MAX.

import { JSON_NESTING_DEPTH_MAX } from './json-limits.js';
import { toFastjsonString } from './fastjson-writer.js';
import { JsonNumberText } from './json-number-text.js';

export type LenientJsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

export interface LenientJsonOptions {
  /**
   * Return every number as a JsonNumberText holding its source text, instead of a number or
   * bigint. The JSON header decoder uses it so that numeric ext-field values become strings
   * exactly as sent.
   */
  numbersAsText?: boolean;
}

class SyntaxFailure {
  constructor(readonly reason: string) {}
}

const CH_TAB = 0x09, CH_LF = 0x0a, CH_CR = 0x0d, CH_SPACE = 0x20;
const CH_DQUOTE = 0x22, CH_SQUOTE = 0x27, CH_COMMA = 0x2c, CH_MINUS = 0x2d, CH_PLUS = 0x2b;
const CH_DOT = 0x2e, CH_0 = 0x30, CH_9 = 0x39, CH_COLON = 0x3a;
const CH_LBRACKET = 0x5b, CH_BACKSLASH = 0x5c, CH_RBRACKET = 0x5d, CH_LBRACE = 0x7b, CH_RBRACE = 0x7d;
const CH_BOM = 0xfeff;
const SAFE_INTEGER_DIGITS = 15;

/** Parses fastjson-flavoured JSON text. Never throws. */
export function parseLenientJson(text: string, options: LenientJsonOptions = {}): LenientJsonResult {
  const parser = new Parser(text, options.numbersAsText === true);
  try {
    const value = parser.parseDocument();
    return { ok: true, value };
  } catch (err) {
    if (err instanceof SyntaxFailure) return { ok: false, reason: err.reason };
    // A RangeError here would be a stack overflow the depth cap failed to prevent.
    return { ok: false, reason: `JSON parse failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly numbersAsText: boolean,
  ) {}

  parseDocument(): unknown {
    if (this.text.charCodeAt(0) === CH_BOM) this.pos = 1;
    this.skipSpace();
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(what: string): never {
    throw new SyntaxFailure(`JSON: ${what} at offset ${this.pos}`);
  }

  private skipSpace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) pos++;
      else break;
    }
    this.pos = pos;
  }

  private parseValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === CH_LBRACE) return this.parseObject(depth + 1);
    if (c === CH_LBRACKET) return this.parseArray(depth + 1);
    if (c === CH_DQUOTE || c === CH_SQUOTE) return this.parseString(c);
    if (c === CH_MINUS || c === CH_PLUS || (c >= CH_0 && c <= CH_9)) return this.parseNumber();
    const word = this.readWord();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (Number.isNaN(c)) this.fail('unexpected end of input');
    return this.fail(word === '' ? `unexpected character ${JSON.stringify(this.text[this.pos])}` : `unexpected word ${JSON.stringify(word)}`);
  }

  private enter(depth: number): void {
    if (depth > JSON_NESTING_DEPTH_MAX) this.fail(`nesting deeper than ${JSON_NESTING_DEPTH_MAX}`);
    this.pos++;
    this.skipSpace();
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.enter(depth);
    const out: Record<string, unknown> = {};
    if (this.text.charCodeAt(this.pos) === CH_RBRACE) {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.parseKey(depth);
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) !== CH_COLON) this.fail('expected ":" after object key');
      this.pos++;
      this.skipSpace();
      const value = this.parseValue(depth);
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = value;
      }
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === CH_RBRACE) return out;
      if (c !== CH_COMMA) this.fail('expected "," or "}" in object');
      this.skipSpace();
      // fastjson tolerates a trailing comma
      if (this.text.charCodeAt(this.pos) === CH_RBRACE) {
        this.pos++;
        return out;
      }
    }
  }

  private parseKey(depth: number): string {
    const c = this.text.charCodeAt(this.pos);
    if (c === CH_DQUOTE || c === CH_SQUOTE) return this.parseString(c);
    if (c === CH_LBRACE || c === CH_LBRACKET) {
      const keyValue = c === CH_LBRACE ? this.parseObject(depth + 1) : this.parseArray(depth + 1);
      return toFastjsonString(keyValue, { sortKeys: false });
    }
    if (c === CH_MINUS || c === CH_PLUS || (c >= CH_0 && c <= CH_9)) {
      const start = this.pos;
      this.scanNumber();
      return this.text.slice(start, this.pos);
    }
    const word = this.readWord();
    if (word === '') this.fail('expected an object key');
    return word;
  }

  private parseArray(depth: number): unknown[] {
    this.enter(depth);
    const out: unknown[] = [];
    if (this.text.charCodeAt(this.pos) === CH_RBRACKET) {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.parseValue(depth));
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === CH_RBRACKET) return out;
      if (c !== CH_COMMA) this.fail('expected "," or "]" in array');
      this.skipSpace();
      if (this.text.charCodeAt(this.pos) === CH_RBRACKET) {
        this.pos++;
        return out;
      }
    }
  }

  /** An identifier-like word: letters, digits, _ and $. */
  private readWord(): string {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    for (;;) {
      const c = text.charCodeAt(pos);
      const isWordChar = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= CH_0 && c <= CH_9) || c === 0x5f || c === 0x24;
      if (!isWordChar) break;
      pos++;
    }
    this.pos = pos;
    return text.slice(start, pos);
  }

  /** Moves past a number; returns whether it had a fraction or exponent. */
  private scanNumber(): boolean {
    const text = this.text;
    let pos = this.pos;
    let c = text.charCodeAt(pos);
    if (c === CH_MINUS || c === CH_PLUS) c = text.charCodeAt(++pos);
    const digitsStart = pos;
    while (c >= CH_0 && c <= CH_9) c = text.charCodeAt(++pos);
    if (pos === digitsStart) {
      this.pos = pos;
      this.fail('expected a digit');
    }
    let isFloat = false;
    if (c === CH_DOT) {
      isFloat = true;
      c = text.charCodeAt(++pos);
      const fractionStart = pos;
      while (c >= CH_0 && c <= CH_9) c = text.charCodeAt(++pos);
      if (pos === fractionStart) {
        this.pos = pos;
        this.fail('expected a digit after "."');
      }
    }
    if (c === 0x65 || c === 0x45) {
      isFloat = true;
      c = text.charCodeAt(++pos);
      if (c === CH_MINUS || c === CH_PLUS) c = text.charCodeAt(++pos);
      const exponentStart = pos;
      while (c >= CH_0 && c <= CH_9) c = text.charCodeAt(++pos);
      if (pos === exponentStart) {
        this.pos = pos;
        this.fail('expected a digit in the exponent');
      }
    }
    this.pos = pos;
    return isFloat;
  }

  private parseNumber(): number | bigint | JsonNumberText {
    const start = this.pos;
    const isFloat = this.scanNumber();
    const raw = this.text.slice(start, this.pos);
    if (this.numbersAsText) return new JsonNumberText(raw);
    const n = Number(raw);
    if (isFloat) return n;
    const digits = raw.charCodeAt(0) === CH_MINUS || raw.charCodeAt(0) === CH_PLUS ? raw.length - 1 : raw.length;
    if (digits <= SAFE_INTEGER_DIGITS || Number.isSafeInteger(n)) return n;
    return BigInt(raw);
  }

  private parseString(quote: number): string {
    const text = this.text;
    let pos = this.pos + 1;
    let out = '';
    let runStart = pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === quote) {
        out += text.slice(runStart, pos);
        this.pos = pos + 1;
        return out;
      }
      if (Number.isNaN(c)) {
        this.pos = pos;
        this.fail('unterminated string');
      }
      if (c !== CH_BACKSLASH) {
        pos++;
        continue;
      }
      out += text.slice(runStart, pos);
      const [decoded, next] = this.readEscape(pos + 1);
      out += decoded;
      pos = next;
      runStart = pos;
    }
  }

  /** The escape after a backslash at `pos - 1`: its text and the position after it. */
  private readEscape(pos: number): [string, number] {
    const c = this.text[pos];
    switch (c) {
      case '"': case "'": case '\\': case '/': return [c, pos + 1];
      case 'b': return ['\b', pos + 1];
      case 'f': return ['\f', pos + 1];
      case 'n': return ['\n', pos + 1];
      case 'r': return ['\r', pos + 1];
      case 't': return ['\t', pos + 1];
      case 'u': return [this.readHexChar(pos + 1, 4), pos + 5];
      case 'x': return [this.readHexChar(pos + 1, 2), pos + 3];
      default:
        this.pos = pos;
        return this.fail(c === undefined ? 'unterminated string' : `bad escape \\${c}`);
    }
  }

  private readHexChar(pos: number, digits: number): string {
    const hex = this.text.slice(pos, pos + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) {
      this.pos = pos;
      this.fail(`bad hex escape ${JSON.stringify(hex)}`);
    }
    return String.fromCharCode(parseInt(hex, 16));
  }
}
