// JSON the way RocketMQ's config files are written (fastjson 1.2.x PrettyFormat, reference §22):
// pretty-printed with tabs, object keys in alphabetical order, null fields left out. A JS Map
// with number keys is a Java Map<Integer, ...> and is written with unquoted keys, fastjson style:
// `{0:12,1:7\n\t\t}`. Other Maps and plain objects have quoted keys. (Wire bodies are compact:
// common's toFastjsonString. Files are read back with common's parseLenientJson.)

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
