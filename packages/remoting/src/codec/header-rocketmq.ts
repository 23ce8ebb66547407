// ROCKETMQ binary header (serialize type 1), Java's RocketMQSerializable. Big-endian:
//   code int16 @0 | language uint8 @2 | version int16 @3 | opaque int32 @5 | flag int32 @9 |
//   remarkLength int32 @13 | remark (UTF-8) | extLength int32 | ext map (extLength bytes)
// ext map entry: keyLength int16 | key (UTF-8) | valueLength int32 | value (UTF-8).
// Fixed part 21 bytes. An empty remark and an empty ext map are written as length 0 and read back
// as absent (Java reads a zero-length string as null). A zero-length ext value reads as "".
//
// code and version are shorts here: a command whose code or version does not fit (POP codes are
// 200050+) cannot be written in this form; the frame encoder sends those in JSON (see
// wireSerializeTypeOf), as Java does for POP requests.

import { InvalidArgumentError } from '@apogee/common';
import { LanguageCode, SerializeType } from '../protocol/remoting-command.js';
import { EXT_KEY_BYTES_MAX, ROCKETMQ_HEADER_FIXED_BYTES } from '../limits.js';
import {
  checkHeaderForEncode, isInt16, isWritableExtValue, languageOfByte, setOwn,
  type HeaderCodec, type HeaderDecodeResult, type RemotingHeader,
} from './remoting-header.js';

const REMARK_LENGTH_AT = 13;
const REMARK_AT = 17;
/** Strings up to this many chars are measured, written and read in JS when ASCII (faster than native calls for them). */
const SHORT_STRING_CHARS = 64;
/** Maps up to this size are viewed as one latin1 string (see StringReader). */
const ASCII_VIEW_BYTES_MAX = 4096;

/** Whether the binary form can carry this header's code and version. */
export function fitsRocketmqHeader(header: Pick<RemotingHeader, 'code' | 'version'>): boolean {
  return isInt16(header.code) && isInt16(header.version);
}

export function encodeRocketmqHeader(header: RemotingHeader): Buffer {
  return encodeRocketmqHeaderInto(header, 0, 0);
}

export function encodeRocketmqHeaderInto(header: RemotingHeader, prefixBytes: number, suffixBytes: number): Buffer {
  checkHeaderForEncode(header);
  if (!fitsRocketmqHeader(header)) {
    throw new InvalidArgumentError('code', `code ${header.code} / version ${header.version} do not fit the ROCKETMQ header's int16 fields`);
  }
  const remark = header.remark ?? '';
  const remarkBytes = utf8Bytes(remark);
  const ext = header.extFields;
  // [key, keyBytes, value, valueBytes, ...] so the second pass needs no second length computation
  const entries: Array<string | number> = [];
  let extBytes = 0;
  if (ext !== undefined && ext !== null) {
    for (const key in ext) {
      if (!Object.hasOwn(ext, key)) continue;
      const value = ext[key];
      if (!isWritableExtValue(key, value)) continue;
      const keyBytes = utf8Bytes(key);
      if (keyBytes > EXT_KEY_BYTES_MAX) {
        throw new InvalidArgumentError('extFields', `ext key of ${keyBytes} bytes > EXT_KEY_BYTES_MAX ${EXT_KEY_BYTES_MAX}`);
      }
      const valueBytes = utf8Bytes(value);
      entries.push(key, keyBytes, value, valueBytes);
      extBytes += 6 + keyBytes + valueBytes;
    }
  }
  const headerBytes = ROCKETMQ_HEADER_FIXED_BYTES + remarkBytes + extBytes;
  const buf = Buffer.allocUnsafe(prefixBytes + headerBytes + suffixBytes);
  let pos = prefixBytes;
  buf.writeInt16BE(header.code, pos);
  buf[pos + 2] = LanguageCode[header.language];
  buf.writeInt16BE(header.version, pos + 3);
  buf.writeInt32BE(header.opaque, pos + 5);
  buf.writeInt32BE(header.flag, pos + 9);
  buf.writeInt32BE(remarkBytes, pos + REMARK_LENGTH_AT);
  pos = writeUtf8(buf, pos + REMARK_AT, remark, remarkBytes);
  buf.writeInt32BE(extBytes, pos);
  pos += 4;
  for (let i = 0; i < entries.length; i += 4) {
    const keyBytes = entries[i + 1] as number;
    const valueBytes = entries[i + 3] as number;
    buf.writeInt16BE(keyBytes, pos);
    pos = writeUtf8(buf, pos + 2, entries[i] as string, keyBytes);
    buf.writeInt32BE(valueBytes, pos);
    pos = writeUtf8(buf, pos + 4, entries[i + 2] as string, valueBytes);
  }
  return buf;
}

/** UTF-8 length; short ASCII strings are measured in JS, which beats the native call for them. */
function utf8Bytes(s: string): number {
  if (s.length > SHORT_STRING_CHARS) return Buffer.byteLength(s, 'utf8');
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

/** Writes `s` (whose UTF-8 length is `bytes`) at `pos`; returns the position after it. */
function writeUtf8(buf: Buffer, pos: number, s: string, bytes: number): number {
  if (bytes === s.length && bytes <= SHORT_STRING_CHARS) {
    for (let i = 0; i < bytes; i++) buf[pos + i] = s.charCodeAt(i);
  } else if (bytes > 0) {
    buf.write(s, pos, bytes, 'utf8');
  }
  return pos + bytes;
}

export function decodeRocketmqHeader(buf: Buffer): HeaderDecodeResult {
  const headerBytes = buf.length;
  if (headerBytes < ROCKETMQ_HEADER_FIXED_BYTES) {
    return { ok: false, reason: `ROCKETMQ header of ${headerBytes} bytes < ${ROCKETMQ_HEADER_FIXED_BYTES}` };
  }
  const header: RemotingHeader = {
    code: buf.readInt16BE(0),
    language: languageOfByte(buf[2] as number),
    version: buf.readInt16BE(3),
    opaque: buf.readInt32BE(5),
    flag: buf.readInt32BE(9),
  };
  const remarkBytes = buf.readInt32BE(REMARK_LENGTH_AT);
  if (remarkBytes < 0 || remarkBytes > headerBytes - ROCKETMQ_HEADER_FIXED_BYTES) {
    return { ok: false, reason: `ROCKETMQ header: remark length ${remarkBytes} outside header of ${headerBytes} bytes` };
  }
  let pos = REMARK_AT;
  if (remarkBytes > 0) header.remark = buf.toString('utf8', pos, pos + remarkBytes);
  pos += remarkBytes;
  const extBytes = buf.readInt32BE(pos);
  pos += 4;
  if (extBytes < 0 || extBytes !== headerBytes - pos) {
    return { ok: false, reason: `ROCKETMQ header: ext length ${extBytes} but ${headerBytes - pos} bytes remain` };
  }
  if (extBytes > 0) {
    const ext = decodeExtMap(buf, pos, headerBytes);
    if (typeof ext === 'string') return { ok: false, reason: ext };
    header.extFields = ext;
  }
  return { ok: true, header };
}

/** The ext map in buf[start, end), or a reason. Duplicate keys: the last wins, as in Java's HashMap. */
function decodeExtMap(buf: Buffer, start: number, end: number): Record<string, string> | string {
  const ext: Record<string, string> = {};
  const strings = new StringReader(buf, start, end);
  let pos = start;
  while (pos < end) {
    if (end - pos < 2) return `ROCKETMQ header: ext entry at ${pos} truncated`;
    const keyBytes = buf.readInt16BE(pos);
    pos += 2;
    if (keyBytes < 0 || end - pos < keyBytes + 4) return `ROCKETMQ header: ext key length ${keyBytes} at ${pos - 2} overruns the map`;
    const key = strings.read(pos, pos + keyBytes);
    pos += keyBytes;
    const valueBytes = buf.readInt32BE(pos);
    pos += 4;
    if (valueBytes < 0 || valueBytes > end - pos) return `ROCKETMQ header: ext value length ${valueBytes} at ${pos - 4} overruns the map`;
    setOwn(ext, key, strings.read(pos, pos + valueBytes));
    pos += valueBytes;
  }
  return ext;
}

/**
 * Reads the map's strings. Decoding each of a header's ~30 short strings natively costs more
 * than the bytes: a small map is turned into one latin1 string once, and each short all-ASCII
 * field is a slice of it (latin1 maps byte n to char n, so offsets agree). Anything else is
 * decoded as UTF-8 on its own.
 */
class StringReader {
  private readonly text: string | undefined;

  constructor(
    private readonly buf: Buffer,
    private readonly start: number,
    end: number,
  ) {
    this.text = end - start <= ASCII_VIEW_BYTES_MAX ? buf.toString('latin1', start, end) : undefined;
  }

  read(from: number, to: number): string {
    const buf = this.buf;
    if (this.text !== undefined && to - from <= SHORT_STRING_CHARS) {
      let isAscii = true;
      for (let i = from; i < to; i++) {
        if ((buf[i] as number) >= 0x80) {
          isAscii = false;
          break;
        }
      }
      if (isAscii) return this.text.slice(from - this.start, to - this.start);
    }
    return buf.toString('utf8', from, to);
  }
}

export const RocketmqHeaderCodec: HeaderCodec = {
  serializeType: SerializeType.ROCKETMQ,
  encode: encodeRocketmqHeader,
  decode: decodeRocketmqHeader,
  encodeInto: encodeRocketmqHeaderInto,
};
