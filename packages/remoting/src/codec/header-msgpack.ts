// MSGPACK header (serialize type 2): an Apogee extension, understood only by Apogee peers. The
// same logical fields as the other two forms in one MessagePack array, in the ROCKETMQ header's
// order:
//   [code int, language uint8 (LanguageCode byte), version int, opaque int, flag int,
//    remark str | nil, extFields map<str,str> | nil]
// Readers accept 5 or more elements (missing trailing ones are absent, extra ones are ignored) so
// that a later version may append fields. Encoded and decoded with msgpackr; maps are decoded as
// Map so that every key (also "__proto__") arrives as sent.

import { Packr, Unpackr } from 'msgpackr';
import { LanguageCode, SerializeType } from '../protocol/remoting-command.js';
import {
  checkHeaderForEncode, excerpt, isInt32, isWritableExtValue, languageOfByte, setOwn,
  type HeaderCodec, type HeaderDecodeResult, type RemotingHeader,
} from './remoting-header.js';

const MSGPACK_HEADER_FIELDS_MIN = 5;
const FIELD_NAMES = ['code', 'language', 'version', 'opaque', 'flag'] as const;

// Module-level msgpackr instances. pack() and unpack() run synchronously to completion and share
// no state across calls in this configuration (no records, no structures), and every buffer
// pack() returns is a distinct slice that later calls do not overwrite.
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'number' });

function msgpackHeaderValue(header: RemotingHeader): unknown[] {
  checkHeaderForEncode(header);
  return [
    header.code,
    LanguageCode[header.language],
    header.version,
    header.opaque,
    header.flag,
    header.remark ?? null,
    extForPack(header.extFields),
  ];
}

/** The ext map as msgpackr should write it: null when absent, nullish values dropped. */
function extForPack(ext: Record<string, string> | undefined): Record<string, string> | null {
  if (ext === undefined || ext === null) return null;
  let hasNullish = false;
  for (const key in ext) {
    if (Object.hasOwn(ext, key) && !isWritableExtValue(key, ext[key])) hasNullish = true;
  }
  if (!hasNullish) return ext;
  const clean: Record<string, string> = {};
  for (const key in ext) {
    const value = ext[key];
    if (Object.hasOwn(ext, key) && value !== undefined && value !== null) setOwn(clean, key, value);
  }
  return clean;
}

export function encodeMsgpackHeader(header: RemotingHeader): Buffer {
  return packr.pack(msgpackHeaderValue(header));
}

export function encodeMsgpackHeaderInto(header: RemotingHeader, prefixBytes: number, suffixBytes: number): Buffer {
  const packed = packr.pack(msgpackHeaderValue(header));
  const buf = Buffer.allocUnsafe(prefixBytes + packed.length + suffixBytes);
  packed.copy(buf, prefixBytes);
  return buf;
}

export function decodeMsgpackHeader(buf: Buffer): HeaderDecodeResult {
  let value: unknown;
  try {
    value = unpackr.unpack(buf);
  } catch (err) {
    return { ok: false, reason: `MSGPACK header: ${excerpt(err instanceof Error ? err.message : String(err))}` };
  }
  if (!Array.isArray(value) || value.length < MSGPACK_HEADER_FIELDS_MIN) {
    return { ok: false, reason: `MSGPACK header is not an array of at least ${MSGPACK_HEADER_FIELDS_MIN} fields` };
  }
  for (let i = 0; i < MSGPACK_HEADER_FIELDS_MIN; i++) {
    if (!isInt32(value[i])) return { ok: false, reason: `MSGPACK header: ${FIELD_NAMES[i]} is not an int32` };
  }
  const fields = value as number[];
  const header: RemotingHeader = {
    code: fields[0] as number,
    language: languageOfByte(fields[1] as number),
    version: fields[2] as number,
    opaque: fields[3] as number,
    flag: fields[4] as number,
  };
  const remark: unknown = value[5];
  if (remark !== undefined && remark !== null) {
    if (typeof remark !== 'string') return { ok: false, reason: 'MSGPACK header: remark is not a string' };
    header.remark = remark;
  }
  const ext: unknown = value[6];
  if (ext !== undefined && ext !== null) {
    if (!(ext instanceof Map)) return { ok: false, reason: 'MSGPACK header: extFields is not a map' };
    const extFields: Record<string, string> = {};
    for (const [key, v] of ext) {
      if (typeof key !== 'string' || typeof v !== 'string') {
        return { ok: false, reason: 'MSGPACK header: extFields entries must be string to string' };
      }
      setOwn(extFields, key, v);
    }
    header.extFields = extFields;
  }
  return { ok: true, header };
}

export const MsgpackHeaderCodec: HeaderCodec = {
  serializeType: SerializeType.MSGPACK,
  encode: encodeMsgpackHeader,
  decode: decodeMsgpackHeader,
  encodeInto: encodeMsgpackHeaderInto,
};

