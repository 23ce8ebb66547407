// Typed custom headers. One definition, written once per header, drives everything:
//   const PullMessageRequestHeader = defineHeader('PullMessageRequestHeader', {
//     consumerGroup: field.string().required(),
//     queueId: field.int().required(),
//     subscription: field.string().optional(),
//     committed: field.bool().default(true),
//   });
//   type PullMessageRequestHeader = HeaderValue<typeof PullMessageRequestHeader>;
// gives the TS type, encode(value) -> ext fields (Record<string, string>) and
// decode(extFields) -> { ok: true, value } | { ok: false, reason: 'missing required field X' }.
//
// Wire rules (Java fills headers by reflection from ext fields, §1.9 of the reference): every
// value is a string; int is a Java Integer (decimal, optional sign, 32-bit); long is a Java Long,
// held here as a number and therefore limited to the safe-integer range (offsets and timestamps
// are far below 2^53); bool is "true"/"false" (case-insensitive on read); enums are their Java
// names. Unknown ext keys are ignored. An empty value of a non-string field reads as absent,
// because the ROCKETMQ binary header cannot tell an empty value from a null one.
//
// Presence: required fields must be present (decode fails otherwise, encode throws); default
// fields are always written (as Java writes its initialized fields) and read as the default when
// absent; optional fields are written only when set.

import { InvalidArgumentError } from '@apogee/common';

export type FieldKind = 'string' | 'int' | 'long' | 'longSaturating' | 'bool' | 'enum';
export type FieldPresence = 'required' | 'optional' | 'default';

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const INT64_MAX = 0x7fff_ffff_ffff_ffffn;
const INT64_MIN = -0x8000_0000_0000_0000n;
const DECIMAL = /^[-+]?\d+$/;
const TRUE_TEXT = /^true$/i;
const FALSE_TEXT = /^false$/i;

/** One field of a header definition. Built with `field.*()` and a presence modifier. */
export class FieldDef<T, P extends FieldPresence = FieldPresence> {
  /** @internal use field.*() */
  constructor(
    readonly kind: FieldKind,
    readonly presence: P,
    readonly defaultValue: T | undefined,
    readonly enumValues: readonly string[] | undefined,
  ) {}

  required(): FieldDef<T, 'required'> {
    return new FieldDef<T, 'required'>(this.kind, 'required', undefined, this.enumValues);
  }

  optional(): FieldDef<T, 'optional'> {
    return new FieldDef<T, 'optional'>(this.kind, 'optional', undefined, this.enumValues);
  }

  /** Always written; read as `value` when absent. */
  default(value: T): FieldDef<T, 'default'> {
    return new FieldDef<T, 'default'>(this.kind, 'default', value, this.enumValues);
  }

  /** The value of a wire string, or undefined when the text is not a value of this kind. */
  parse(text: string): T | undefined {
    return parseFieldText(this.kind, this.enumValues, text) as T | undefined;
  }

  /** The wire string of a value, or undefined when the value is not of this kind. */
  format(value: T): string | undefined {
    return formatFieldValue(this.kind, this.enumValues, value);
  }
}

/** Field builders. A bare builder is optional; add .required(), .optional() or .default(v). */
export const field = {
  string: (): FieldDef<string, 'optional'> => new FieldDef<string, 'optional'>('string', 'optional', undefined, undefined),
  int: (): FieldDef<number, 'optional'> => new FieldDef<number, 'optional'>('int', 'optional', undefined, undefined),
  long: (): FieldDef<number, 'optional'> => new FieldDef<number, 'optional'>('long', 'optional', undefined, undefined),
  /**
   * A Java long that callers use with Long.MIN_VALUE / Long.MAX_VALUE as "unbounded" (e.g. the
   * time range of a key query: mqadmin sends endTimestamp 9223372036854775807). Any int64 outside
   * the safe-integer range reads as -/+Number.MAX_SAFE_INTEGER instead of failing the header.
   */
  longSaturating: (): FieldDef<number, 'optional'> => new FieldDef<number, 'optional'>('longSaturating', 'optional', undefined, undefined),
  bool: (): FieldDef<boolean, 'optional'> => new FieldDef<boolean, 'optional'>('bool', 'optional', undefined, undefined),
  enumOf: <const V extends readonly string[]>(values: V): FieldDef<V[number], 'optional'> =>
    new FieldDef<V[number], 'optional'>('enum', 'optional', undefined, values),
};

export type HeaderFields = Record<string, FieldDef<unknown, FieldPresence>>;

type FieldValue<F> = F extends FieldDef<infer T, FieldPresence> ? T : never;
type KeysWith<F extends HeaderFields, P extends FieldPresence> = { [K in keyof F]: F[K]['presence'] extends P ? K : never }[keyof F];
type Flatten<T> = { [K in keyof T]: T[K] };

/** A decoded header: required and default fields present, optional ones maybe. */
export type DecodedHeader<F extends HeaderFields> = Flatten<
  { [K in KeysWith<F, 'required' | 'default'>]: FieldValue<F[K]> } & { [K in KeysWith<F, 'optional'>]?: FieldValue<F[K]> }
>;

/** What encode takes: required fields present; default and optional ones may be left out. */
export type HeaderInput<F extends HeaderFields> = Flatten<
  { [K in KeysWith<F, 'required'>]: FieldValue<F[K]> } & { [K in KeysWith<F, 'optional' | 'default'>]?: FieldValue<F[K]> }
>;

export type HeaderResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface HeaderDef<F extends HeaderFields> {
  /** the Java class name, for messages */
  readonly name: string;
  readonly fields: F;
  /** Ext fields for a value, in definition order. Throws InvalidArgumentError for a missing required field or a value of the wrong kind. */
  encode(value: HeaderInput<F>): Record<string, string>;
  /** Total: the typed value of a command's ext fields, or the first reason it has none. */
  decode(extFields: Readonly<Record<string, string>> | undefined): HeaderResult<DecodedHeader<F>>;
}

/** The decoded type of a header definition: `type X = HeaderValue<typeof X>`. */
export type HeaderValue<D> = D extends HeaderDef<infer F> ? DecodedHeader<F> : never;
/** The encode input type of a header definition. */
export type HeaderInputOf<D> = D extends HeaderDef<infer F> ? HeaderInput<F> : never;

interface FieldEntry {
  readonly name: string;
  readonly def: FieldDef<unknown, FieldPresence>;
}

export function defineHeader<F extends HeaderFields>(name: string, fields: F): HeaderDef<F> {
  const entries: readonly FieldEntry[] = Object.keys(fields).map((key) => ({ name: key, def: fields[key] as FieldDef<unknown, FieldPresence> }));
  for (const { name: fieldName, def } of entries) {
    if (def.presence === 'default' && def.format(def.defaultValue) === undefined) {
      throw new InvalidArgumentError(fieldName, `${name}.${fieldName}: default ${String(def.defaultValue)} is not a ${def.kind}`);
    }
  }
  return {
    name,
    fields,
    encode: (value) => encodeFields(name, entries, value as Record<string, unknown>),
    decode: (extFields) => decodeFields(entries, extFields) as HeaderResult<DecodedHeader<F>>,
  };
}

function encodeFields(headerName: string, entries: readonly FieldEntry[], value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, def } of entries) {
    let v = value[name];
    if (v === undefined || v === null) {
      if (def.presence === 'optional') continue;
      if (def.presence === 'required') throw new InvalidArgumentError(name, `${headerName}: missing required field ${name}`);
      v = def.defaultValue;
    }
    const text = def.format(v);
    if (text === undefined) throw new InvalidArgumentError(name, `${headerName}: ${name} ${String(v)} is not a ${def.kind}`);
    out[name] = text;
  }
  return out;
}

function decodeFields(entries: readonly FieldEntry[], extFields: Readonly<Record<string, string>> | undefined): HeaderResult<Record<string, unknown>> {
  const value: Record<string, unknown> = {};
  for (const { name, def } of entries) {
    const text = extFields !== undefined && extFields !== null && Object.hasOwn(extFields, name) ? extFields[name] : undefined;
    const isAbsent = text === undefined || text === null || (text === '' && def.kind !== 'string');
    if (isAbsent) {
      if (def.presence === 'required') return { ok: false, reason: `missing required field ${name}` };
      if (def.presence === 'default') value[name] = def.defaultValue;
      continue;
    }
    const parsed = def.parse(text);
    if (parsed === undefined) return { ok: false, reason: badValueReason(name, def, text) };
    value[name] = parsed;
  }
  return { ok: true, value };
}

function badValueReason(name: string, def: FieldDef<unknown, FieldPresence>, text: string): string {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
  if (def.kind === 'enum') return `bad enum field ${name}: ${shown} (expected ${(def.enumValues ?? []).join('|')})`;
  if (def.kind === 'long' && DECIMAL.test(text)) return `long field ${name} ${shown} is outside the safe integer range`;
  const kindName = def.kind === 'bool' ? 'boolean' : def.kind;
  return `bad ${kindName} field ${name}: ${shown}`;
}

function parseFieldText(kind: FieldKind, enumValues: readonly string[] | undefined, text: string): unknown {
  switch (kind) {
    case 'string':
      return text;
    case 'int': {
      if (!DECIMAL.test(text)) return undefined;
      const n = Number(text);
      return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
    }
    case 'long': {
      if (!DECIMAL.test(text)) return undefined;
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'longSaturating': {
      if (!DECIMAL.test(text)) return undefined;
      const n = Number(text);
      if (Number.isSafeInteger(n)) return n;
      const big = BigInt(text);
      if (big > INT64_MAX || big < INT64_MIN) return undefined;
      return big > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
    }
    case 'bool':
      if (TRUE_TEXT.test(text)) return true;
      return FALSE_TEXT.test(text) ? false : undefined;
    case 'enum':
      return enumValues !== undefined && enumValues.includes(text) ? text : undefined;
  }
}

function formatFieldValue(kind: FieldKind, enumValues: readonly string[] | undefined, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? String(value) : undefined;
    case 'long':
    case 'longSaturating':
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : undefined;
    case 'bool':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'enum':
      return typeof value === 'string' && enumValues !== undefined && enumValues.includes(value) ? value : undefined;
  }
}
