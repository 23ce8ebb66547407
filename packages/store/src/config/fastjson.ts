// JSON the way RocketMQ's config files are written (fastjson 1.2.x, reference §22) and a reader
// that accepts what fastjson writes:
// - Writer: pretty-printed with tabs, object keys in alphabetical order, null fields left out.
//   A JS Map with number keys is a Java Map<Integer, ...> and is written with unquoted keys,
//   fastjson style: `{0:12,1:7\n\t\t}`. Other Maps and plain objects have quoted keys.
// - Reader: standard JSON plus unquoted keys (numbers or identifiers). Total: returns a result,
//   never throws. Nesting is bounded.

export type FastjsonValue =
  | null
  | undefined
  | boolean
  | number
  | string
  | readonly FastjsonValue[]
  | ReadonlySet<FastjsonValue>
  | ReadonlyMap<number | string, FastjsonValue>
  | { readonly [key: string]: FastjsonValue };

/** Deepest nesting the reader accepts. */
export const JSON_DEPTH_MAX = 64;

export function toFastjsonPretty(value: FastjsonValue): string {
  return write(value, 0);
}

function write(value: FastjsonValue, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value) || value instanceof Set) return writeList([...(value as Iterable<FastjsonValue>)], depth);
  if (value instanceof Map) return writeMap(value as ReadonlyMap<number | string, FastjsonValue>, depth);
  const obj = value as { readonly [key: string]: FastjsonValue };
  const entries = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && obj[k] !== null)
    .sort()
    .map((k) => [k, obj[k]] as const);
  return writeEntries(entries, depth);
}

function writeEntries(entries: readonly (readonly [string | number, FastjsonValue])[], depth: number): string {
  if (entries.length === 0) return '{}';
  const inner = '\t'.repeat(depth + 1);
  let out = '{';
  entries.forEach(([k, v], i) => {
    if (i > 0) out += ',';
    if (typeof k === 'number') out += `${k}:${write(v, depth + 1)}`;
    else out += `\n${inner}${JSON.stringify(k)}:${write(v, depth + 1)}`;
  });
  return `${out}\n${'\t'.repeat(depth)}}`;
}

function writeMap(map: ReadonlyMap<number | string, FastjsonValue>, depth: number): string {
  const entries = [...map.entries()].filter(([, v]) => v !== undefined && v !== null);
  entries.sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  return writeEntries(entries, depth);
}

function writeList(items: readonly FastjsonValue[], depth: number): string {
  if (items.length === 0) return '[]';
  const inner = '\t'.repeat(depth + 1);
  return `[\n${items.map((v) => inner + write(v, depth + 1)).join(',\n')}\n${'\t'.repeat(depth)}]`;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses JSON that may have unquoted (fastjson) object keys. Objects come back as plain objects. */
export function parseLenientJson(text: string): JsonParseResult {
  const p = new Parser(text);
  try {
    p.skipWs();
    const value = p.value(0);
    p.skipWs();
    if (p.pos !== text.length) return { ok: false, reason: `unexpected ${JSON.stringify(text[p.pos])} at ${p.pos}` };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return { ok: false, reason: err.message };
    throw err;
  }
}

class JsonSyntaxError extends Error {}

const UNQUOTED_KEY = /[A-Za-z0-9_$.\-+]/;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(what: string): never {
    throw new JsonSyntaxError(`${what} at ${this.pos}`);
  }

  skipWs(): void {
    while (this.pos < this.s.length && ' \t\r\n'.includes(this.s[this.pos]!)) this.pos++;
  }

  value(depth: number): unknown {
    if (depth > JSON_DEPTH_MAX) this.fail(`nesting deeper than ${JSON_DEPTH_MAX}`);
    const c = this.s[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === 't' && this.s.startsWith('true', this.pos)) return (this.pos += 4), true;
    if (c === 'f' && this.s.startsWith('false', this.pos)) return (this.pos += 5), false;
    if (c === 'n' && this.s.startsWith('null', this.pos)) return (this.pos += 4), null;
    return this.number();
  }

  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++;
    this.skipWs();
    if (this.s[this.pos] === '}') return this.pos++, out;
    for (;;) {
      this.skipWs();
      const key = this.s[this.pos] === '"' ? this.string() : this.unquotedKey();
      this.skipWs();
      if (this.s[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      this.skipWs();
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipWs();
    if (this.s[this.pos] === ']') return this.pos++, out;
    for (;;) {
      this.skipWs();
      out.push(this.value(depth + 1));
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  unquotedKey(): string {
    const start = this.pos;
    while (this.pos < this.s.length && UNQUOTED_KEY.test(this.s[this.pos]!)) this.pos++;
    if (this.pos === start) this.fail('expected a key');
    return this.s.slice(start, this.pos);
  }

  string(): string {
    const start = this.pos;
    this.pos++;
    let escaped = false;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') {
        try {
          return JSON.parse(this.s.slice(start, this.pos)) as string;
        } catch {
          this.fail('bad string');
        }
      }
    }
    return this.fail('unterminated string');
  }

  number(): number {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.pos, this.pos + 40));
    if (!m) this.fail('unexpected character');
    this.pos += m[0].length;
    return Number(m[0]);
  }
}
