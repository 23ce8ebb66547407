// JSON header (serialize type 0), what Java clients send by default.
//
// Written as fastjson writes a RemotingCommand: compact, keys in alphabetical order, nulls
// omitted, language by name, every ext-field value a JSON string, and the informational
// "serializeTypeCurrentRPC":"JSON":
//   {"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":12,
//    "serializeTypeCurrentRPC":"JSON","version":479}
// Ext fields are written in the order Java's HashMap iterates them (see java-hash-map-order.ts),
// so a header encodes to the same bytes as Java's; no reader depends on that order.
//
// Read leniently, as fastjson reads: language as a name or a number, missing language, version,
// opaque, flag, remark or extFields take Java's defaults, numeric fields may be numeric strings,
// non-string ext-field values are stringified (numbers exactly as written), unknown keys are
// ignored, and non-standard JSON (unquoted numeric keys such as {0:12}) is accepted.

import { SerializeType, type LanguageName } from '../protocol/remoting-command.js';
import { parseLenientJson } from '@apogee/common';
import { toFastjsonString } from '@apogee/common';
import { javaHashMapOrder } from './java-hash-map-order.js';
import { JsonNumberText } from '@apogee/common';
import {
  checkHeaderForEncode, excerpt, isInt32, isWritableExtValue, languageOfByte, languageOfName, setOwn,
  type HeaderCodec, type HeaderDecodeResult, type RemotingHeader,
} from './remoting-header.js';

/** The JSON text of a header. */
export function jsonHeaderText(header: RemotingHeader): string {
  checkHeaderForEncode(header);
  let text = `{"code":${header.code}`;
  const ext = header.extFields;
  if (ext !== undefined && ext !== null) text += `,"extFields":${extFieldsText(ext)}`;
  text += `,"flag":${header.flag},"language":"${header.language}","opaque":${header.opaque}`;
  if (header.remark !== undefined) text += `,"remark":${JSON.stringify(header.remark)}`;
  return `${text},"serializeTypeCurrentRPC":"JSON","version":${header.version}}`;
}

function extFieldsText(ext: Record<string, string>): string {
  const keys: string[] = [];
  for (const key of Object.keys(ext)) {
    if (isWritableExtValue(key, ext[key])) keys.push(key);
  }
  let text = '{';
  let first = true;
  for (const key of javaHashMapOrder(keys)) {
    text += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(ext[key])}`;
    first = false;
  }
  return `${text}}`;
}

export function encodeJsonHeader(header: RemotingHeader): Buffer {
  return Buffer.from(jsonHeaderText(header), 'utf8');
}

export function encodeJsonHeaderInto(header: RemotingHeader, prefixBytes: number, suffixBytes: number): Buffer {
  const text = jsonHeaderText(header);
  const headerBytes = Buffer.byteLength(text, 'utf8');
  const buf = Buffer.allocUnsafe(prefixBytes + headerBytes + suffixBytes);
  buf.write(text, prefixBytes, headerBytes, 'utf8');
  return buf;
}

/** Marks a header whose ext fields held numbers: parse again keeping numbers as their text. */
const REPARSE_EXACT = Symbol('reparse');

export function decodeJsonHeader(buf: Buffer): HeaderDecodeResult {
  const text = buf.toString('utf8');
  let value: unknown;
  let isParsed = false;
  try {
    value = JSON.parse(text);
    isParsed = true;
  } catch {
    // not standard JSON: the lenient parser below gives the answer or the reason
  }
  if (isParsed) {
    const result = headerFromJson(value);
    if (result !== REPARSE_EXACT) return result;
  }
  const lenient = parseLenientJson(text, { numbersAsText: true });
  if (!lenient.ok) return { ok: false, reason: `JSON header: ${lenient.reason}` };
  const result = headerFromJson(lenient.value);
  return result === REPARSE_EXACT ? { ok: false, reason: 'JSON header: unexpected number in ext fields' } : result;
}

function headerFromJson(value: unknown): HeaderDecodeResult | typeof REPARSE_EXACT {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'JSON header is not an object' };
  }
  const obj = value as Record<string, unknown>;
  const code = intField(obj, 'code', undefined);
  if (typeof code === 'string') return { ok: false, reason: code };
  const version = intField(obj, 'version', 0);
  if (typeof version === 'string') return { ok: false, reason: version };
  const opaque = intField(obj, 'opaque', 0);
  if (typeof opaque === 'string') return { ok: false, reason: opaque };
  const flag = intField(obj, 'flag', 0);
  if (typeof flag === 'string') return { ok: false, reason: flag };
  const language = languageField(obj.language);
  if (language === undefined) return { ok: false, reason: `JSON header: bad language ${excerpt(String(obj.language))}` };
  const header: RemotingHeader = { code, language, version, opaque, flag };
  const remark = obj.remark;
  if (remark !== undefined && remark !== null) {
    if (typeof remark === 'object' && !(remark instanceof JsonNumberText)) return { ok: false, reason: 'JSON header: remark is not a string' };
    header.remark = String(remark);
  }
  const ext = obj.extFields;
  if (ext !== undefined && ext !== null) {
    const fields = extFieldsFromJson(ext);
    if (fields === REPARSE_EXACT || typeof fields === 'string') return fields === REPARSE_EXACT ? fields : { ok: false, reason: fields };
    header.extFields = fields;
  }
  return { ok: true, header };
}

/** An int32 field (number or numeric string), the default when absent, or a reason string. */
function intField(obj: Record<string, unknown>, name: string, defaultValue: number | undefined): number | string {
  const raw = Object.hasOwn(obj, name) ? obj[name] : undefined;
  if (raw === undefined || raw === null) {
    return defaultValue ?? `JSON header has no ${name}`;
  }
  const numeric = raw instanceof JsonNumberText ? raw.text : raw;
  const n = typeof numeric === 'string' && /^[-+]?\d{1,10}$/.test(numeric) ? Number(numeric) : numeric;
  return isInt32(n) ? n : `JSON header: ${name} ${excerpt(String(raw))} is not an int32`;
}

function languageField(raw: unknown): LanguageName | undefined {
  if (raw === undefined || raw === null) return 'JAVA';
  if (typeof raw === 'number' && Number.isInteger(raw)) return languageOfByte(raw);
  if (raw instanceof JsonNumberText) return /^\d{1,3}$/.test(raw.text) ? languageOfByte(Number(raw.text)) : undefined;
  if (typeof raw === 'string') return /^\d{1,3}$/.test(raw) ? languageOfByte(Number(raw)) : languageOfName(raw);
  return undefined;
}

function extFieldsFromJson(raw: unknown): Record<string, string> | string | typeof REPARSE_EXACT {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'JSON header: extFields is not an object';
  const src = raw as Record<string, unknown>;
  const keys = Object.keys(src);
  // The usual case, every value a string: the parsed object is fresh and plain, so keep it.
  let isAllStrings = true;
  for (const key of keys) {
    if (typeof src[key] !== 'string') {
      isAllStrings = false;
      break;
    }
  }
  if (isAllStrings) return src as Record<string, string>;
  const out: Record<string, string> = {};
  for (const key of keys) {
    const v = src[key];
    if (typeof v === 'string') setOwn(out, key, v);
    else if (typeof v === 'number') return REPARSE_EXACT;
    else if (v instanceof JsonNumberText) setOwn(out, key, v.text);
    else if (typeof v === 'boolean' || typeof v === 'bigint') setOwn(out, key, String(v));
    else if (typeof v === 'object' && v !== null) setOwn(out, key, toFastjsonString(v, { sortKeys: false }));
    // null: Java's map holds a null, which reads as an absent field
  }
  return out;
}

export const JsonHeaderCodec: HeaderCodec = {
  serializeType: SerializeType.JSON,
  encode: encodeJsonHeader,
  decode: decodeJsonHeader,
  encodeInto: encodeJsonHeaderInto,
};
