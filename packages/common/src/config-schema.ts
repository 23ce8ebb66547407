// One schema table per process: every key with its RocketMQ name, type, default, unit and
// bounds. The loader turns `.properties` text (already parsed to a map) into a frozen, typed
// object; unknown keys are reported as warnings, an invalid value stops with a message naming
// the key. Defaults live only here; docs and `--help` output are generated from the schema.

import { ApogeeError } from './errors.js';

interface KeyBase<K extends string> {
  key: K;
  doc: string;
  unit?: 'ms' | 's' | 'bytes' | 'hours' | '%' | 'count' | 'pages';
}
export interface IntKey<K extends string> extends KeyBase<K> { type: 'int'; default: number; min?: number; max?: number }
export interface BoolKey<K extends string> extends KeyBase<K> { type: 'bool'; default: boolean }
export interface StringKey<K extends string> extends KeyBase<K> { type: 'string'; default: string }
export interface EnumKey<K extends string, V extends string> extends KeyBase<K> { type: 'enum'; values: readonly V[]; default: V }

// eslint-style note: the generic parameters carry each key's literal name and value type.
export type ConfigKey =
  | IntKey<string>
  | BoolKey<string>
  | StringKey<string>
  | EnumKey<string, string>;

type ValueOf<E> =
  E extends IntKey<string> ? number
    : E extends BoolKey<string> ? boolean
      : E extends EnumKey<string, infer V> ? V
        : E extends StringKey<string> ? string
          : never;

export type ConfigOf<S extends readonly ConfigKey[]> = {
  readonly [E in S[number] as E['key']]: ValueOf<E>;
};

export class ConfigError extends ApogeeError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedConfig<S extends readonly ConfigKey[]> {
  config: ConfigOf<S>;
  /** keys that the schema does not know (RocketMQ has many Apogee ignores) */
  unknownKeys: string[];
}

/** Parses `values` (string form, e.g. from a .properties file) against `schema`. Throws ConfigError. */
export function loadConfig<S extends readonly ConfigKey[]>(
  schema: S,
  values: ReadonlyMap<string, string>,
  overrides: Partial<Record<string, string | number | boolean>> = {},
): LoadedConfig<S> {
  const known = new Map(schema.map((entry) => [entry.key, entry] as const));
  const out: Record<string, unknown> = {};
  for (const entry of schema) out[entry.key] = entry.default;
  const unknownKeys: string[] = [];
  for (const [key, raw] of values) {
    const entry = known.get(key);
    if (entry === undefined) unknownKeys.push(key);
    else out[key] = parseValue(entry, raw.trim());
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const entry = known.get(key);
    if (entry === undefined) throw new ConfigError(key, `unknown config key ${key}`);
    out[key] = parseValue(entry, String(value));
  }
  return { config: Object.freeze(out) as ConfigOf<S>, unknownKeys };
}

function parseValue(entry: ConfigKey, raw: string): number | boolean | string {
  switch (entry.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError(entry.key, `${entry.key}: expected an integer, got "${raw}"`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n)) throw new ConfigError(entry.key, `${entry.key}: ${raw} is out of range`);
      if (entry.min !== undefined && n < entry.min) throw new ConfigError(entry.key, `${entry.key}: ${n} is below the minimum ${entry.min}`);
      if (entry.max !== undefined && n > entry.max) throw new ConfigError(entry.key, `${entry.key}: ${n} is above the maximum ${entry.max}`);
      return n;
    }
    case 'bool': {
      const lower = raw.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw new ConfigError(entry.key, `${entry.key}: expected true or false, got "${raw}"`);
      return lower === 'true';
    }
    case 'enum': {
      if (!entry.values.includes(raw)) {
        throw new ConfigError(entry.key, `${entry.key}: expected one of ${entry.values.join(', ')}, got "${raw}"`);
      }
      return raw;
    }
    case 'string':
      return raw;
  }
}

/** `key=value` lines of a config (for `-p` printing and GET_*_CONFIG answers), in schema order. */
export function configToProperties<S extends readonly ConfigKey[]>(schema: S, config: ConfigOf<S>): string {
  const values = config as Record<string, unknown>;
  return schema.map((entry) => `${entry.key}=${String(values[entry.key])}`).join('\n') + '\n';
}

/** One line per key: name, type, default with unit, and the doc text. */
export function describeSchema(schema: readonly ConfigKey[]): string {
  return schema
    .map((entry) => {
      const unit = entry.unit === undefined ? '' : ` ${entry.unit}`;
      const kind = entry.type === 'enum' ? entry.values.join('|') : entry.type;
      return `${entry.key} (${kind}, default ${String(entry.default)}${unit}): ${entry.doc}`;
    })
    .join('\n');
}
