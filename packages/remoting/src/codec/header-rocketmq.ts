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
  const remarkBytes = Buffer.byteLength(remark, 'utf8');
  const ext = header.extFields;
  let extBytes = 0;
  if (ext !== undefined && ext !== null) {
    for (const key in ext) {
      if (!Object.hasOwn(ext, key)) continue;
      const value = ext[key];
      if (!isWritableExtValue(key, value)) continue;
      const keyBytes = Buffer.byteLength(key, 'utf8');
      if (keyBytes > EXT_KEY_BYTES_MAX) {
        throw new InvalidArgumentError('extFields', `ext key of ${keyBytes} bytes > EXT_KEY_BYTES_MAX ${EXT_KEY_BYTES_MAX}`);
      }
      extBytes += 6 + keyBytes + Buffer.byteLength(value, 'utf8');
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
  pos += REMARK_AT;
  if (remarkBytes > 0) pos += buf.write(remark, pos, remarkBytes, 'utf8');
  buf.writeInt32BE(extBytes, pos);
  pos += 4;
  if (ext !== undefined && ext !== null && extBytes > 0) {
    for (const key in ext) {
      if (!Object.hasOwn(ext, key)) continue;
      const value = ext[key];
      if (value === undefined || value === null) continue;
      const keyBytes = buf.write(key, pos + 2, 'utf8');
      buf.writeInt16BE(keyBytes, pos);
      pos += 2 + keyBytes;
      const valueBytes = buf.write(value, pos + 4, 'utf8');
      buf.writeInt32BE(valueBytes, pos);
      pos += 4 + valueBytes;
    }
  }
  if (pos !== prefixBytes + headerBytes) {
    throw new InvalidArgumentError('extFields', 'ext fields changed while being encoded');
  }
  return buf;
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
  let pos = start;
  while (pos < end) {
    if (end - pos < 2) return `ROCKETMQ header: ext entry at ${pos} truncated`;
    const keyBytes = buf.readInt16BE(pos);
    pos += 2;
    if (keyBytes < 0 || end - pos < keyBytes + 4) return `ROCKETMQ header: ext key length ${keyBytes} at ${pos - 2} overruns the map`;
    const key = buf.toString('utf8', pos, pos + keyBytes);
    pos += keyBytes;
    const valueBytes = buf.readInt32BE(pos);
    pos += 4;
    if (valueBytes < 0 || valueBytes > end - pos) return `ROCKETMQ header: ext value length ${valueBytes} at ${pos - 4} overruns the map`;
    setOwn(ext, key, buf.toString('utf8', pos, pos + valueBytes));
    pos += valueBytes;
  }
  return ext;
}

export const RocketmqHeaderCodec: HeaderCodec = {
  serializeType: SerializeType.ROCKETMQ,
  encode: encodeRocketmqHeader,
  decode: decodeRocketmqHeader,
  encodeInto: encodeRocketmqHeaderInto,
};
