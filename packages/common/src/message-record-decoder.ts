// Reading message records (layout in message-record.ts). Total: any bytes give a result, never
// an exception. Every length is checked against the record's TOTALSIZE before it is used, and
// the parts must add up to TOTALSIZE exactly (RocketMQ's recovery applies the same rule).
//
// Bodies are views into the input buffer unless `copyBody` is set (or the body was inflated):
// keep the input alive and unmodified while the messages are in use, or ask for copies.

import { crc32Masked } from './checksum.js';
import { decompressBody as inflateBody } from './compression.js';
import { readInt64BE } from './int64.js';
import { MessageConst } from './message-const.js';
import { MessageExt } from './message-ext.js';
import { stringToProperties } from './message-properties.js';
import {
  BLANK_MAGIC_CODE,
  BLANK_RECORD_BYTES,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  RECORD_FIXED_BYTES,
  RECORD_PHYSICAL_OFFSET_POSITION,
  recordBodyLengthPosition,
  recordStoreHostPosition,
} from './message-record.js';
import { MessageSysFlag, clearCompressedFlag, getCompressionType } from './message-sys-flag.js';
import { type SocketAddress, IPV4_ADDRESS_BYTES, IPV6_ADDRESS_BYTES, formatIPv4, formatIPv6, isValidPort } from './socket-address.js';

export interface DecodeRecordOptions {
  /** Default true. When false the body is left empty (and not inflated). */
  readBody?: boolean;
  /** Default false. Verify BODYCRC against the stored body bytes. */
  checkCRC?: boolean;
  /** Default false. Inflate a compressed body and clear COMPRESSED_FLAG, as 5.x Java clients do (4.9.x clients inflate but leave the flag set). */
  decompressBody?: boolean;
  /** Default false. Copy the body out of the input instead of keeping a view into it. */
  copyBody?: boolean;
}

export type RecordDecodeResult =
  | { kind: 'message'; size: number; message: MessageExt }
  | { kind: 'blank'; size: number }
  | { kind: 'invalid'; reason: string };

const EMPTY_BODY = Buffer.alloc(0);

/** Decodes the record that starts at `offset`. A BLANK filler only needs its 8-byte header. */
export function decodeMessageRecord(buf: Buffer, offset: number, opts: DecodeRecordOptions = {}): RecordDecodeResult {
  if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
    return invalid(`offset ${offset} is outside a ${buf.length}-byte buffer`);
  }
  const available = buf.length - offset;
  if (available < BLANK_RECORD_BYTES) {
    return invalid(`truncated: ${available} bytes left at offset ${offset}, a record header needs 8`);
  }
  const totalSize = buf.readInt32BE(offset);
  const magic = buf.readInt32BE(offset + 4);
  if (magic === BLANK_MAGIC_CODE) {
    if (totalSize < BLANK_RECORD_BYTES) return invalid(`blank filler of ${totalSize} bytes is shorter than its header`);
    return { kind: 'blank', size: totalSize };
  }
  if (magic !== MESSAGE_MAGIC_CODE_V1 && magic !== MESSAGE_MAGIC_CODE_V2) {
    return invalid(`unknown magic code 0x${(magic >>> 0).toString(16)} at offset ${offset}`);
  }
  if (totalSize < RECORD_FIXED_BYTES) return invalid(`record size ${totalSize} is below the minimum ${RECORD_FIXED_BYTES}`);
  if (totalSize > available) {
    return invalid(`truncated: record of ${totalSize} bytes at offset ${offset}, only ${available} bytes left`);
  }
  return decodeMessage(buf, offset, totalSize, magic === MESSAGE_MAGIC_CODE_V2, opts);
}

export interface DecodedRecords {
  messages: MessageExt[];
  /** Why decoding stopped early; absent when every byte was consumed. */
  invalid?: string;
}

/**
 * Decodes a pull-response (or query/view) body: message records back to back. Stops at the first
 * bad record and keeps the messages before it, as RocketMQ's client does; `invalid` says why.
 */
export function decodeMessageRecords(buf: Buffer, opts: DecodeRecordOptions = {}): DecodedRecords {
  const messages: MessageExt[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const result = decodeMessageRecord(buf, offset, opts);
    if (result.kind === 'invalid') return { messages, invalid: result.reason };
    if (result.kind === 'blank') return { messages, invalid: `unexpected blank filler at offset ${offset}` };
    messages.push(result.message);
    offset += result.size;
  }
  return { messages };
}

function decodeMessage(
  buf: Buffer,
  start: number,
  totalSize: number,
  isV2: boolean,
  opts: DecodeRecordOptions,
): RecordDecodeResult {
  const end = start + totalSize;
  let sysFlag = buf.readInt32BE(start + 36);
  const bornV6 = (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0;
  const storeV6 = (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0;
  // Each IPv6 host adds 12 bytes to the fixed part; recheck the minimum with them.
  const bodyLengthPos = start + recordBodyLengthPosition(sysFlag);
  const minSize = RECORD_FIXED_BYTES + (bornV6 ? 12 : 0) + (storeV6 ? 12 : 0) + (isV2 ? 1 : 0);
  if (totalSize < minSize) return invalid(`record size ${totalSize} is below the minimum ${minSize} for its host and version flags`);

  const queueOffset = readInt64BE(buf, start + 20);
  const physicalOffset = readInt64BE(buf, start + RECORD_PHYSICAL_OFFSET_POSITION);
  const bornTimestamp = readInt64BE(buf, start + 40);
  const bornHost = readHost(buf, start + 48, bornV6);
  const storeHostPos = start + recordStoreHostPosition(sysFlag);
  const storeTimestamp = readInt64BE(buf, storeHostPos - 8);
  const storeHost = readHost(buf, storeHostPos, storeV6);
  const reconsumeTimes = buf.readInt32BE(bodyLengthPos - 12);
  const preparedTransactionOffset = readInt64BE(buf, bodyLengthPos - 8);
  // readInt64BE gives NaN for unsafe values; one sum finds any of them.
  if (Number.isNaN(queueOffset + physicalOffset + bornTimestamp + storeTimestamp + preparedTransactionOffset)) {
    return invalid('an int64 field (offset or timestamp) is outside the safe integer range');
  }
  if (bornHost === undefined) return invalid('born host port is not 0..65535');
  if (storeHost === undefined) return invalid('store host port is not 0..65535');

  const bodyLength = buf.readInt32BE(bodyLengthPos);
  const bodyStart = bodyLengthPos + 4;
  const topicLengthBytes = isV2 ? 2 : 1;
  if (bodyLength < 0 || bodyLength > end - bodyStart - topicLengthBytes - 2) {
    return invalid(`body length ${bodyLength} does not fit in a ${totalSize}-byte record`);
  }
  const topicLengthPos = bodyStart + bodyLength;
  const topicLength = isV2 ? buf.readInt16BE(topicLengthPos) : buf.readInt8(topicLengthPos);
  const topicStart = topicLengthPos + topicLengthBytes;
  if (topicLength < 0 || topicLength > end - topicStart - 2) {
    return invalid(`topic length ${topicLength} does not fit in a ${totalSize}-byte record`);
  }
  const propertiesLengthPos = topicStart + topicLength;
  const propertiesLength = buf.readInt16BE(propertiesLengthPos);
  const propertiesStart = propertiesLengthPos + 2;
  if (propertiesLength < 0 || propertiesStart + propertiesLength !== end) {
    return invalid(`properties length ${propertiesLength} leaves the record at ${propertiesStart + propertiesLength - start} bytes, TOTALSIZE says ${totalSize}`);
  }

  const bodyCRC = buf.readInt32BE(start + 8);
  if (opts.checkCRC === true) {
    const actual = crc32Masked(buf, bodyStart, topicLengthPos);
    if (actual !== bodyCRC) return invalid(`body CRC ${actual} does not match stored BODYCRC ${bodyCRC}`);
  }
  let body: Buffer = EMPTY_BODY;
  if (opts.readBody !== false && bodyLength > 0) {
    body = buf.subarray(bodyStart, topicLengthPos);
    if (opts.decompressBody === true && (sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0) {
      const inflated = inflate(body, sysFlag);
      if (typeof inflated === 'string') return invalid(inflated);
      body = inflated;
      sysFlag = clearCompressedFlag(sysFlag);
    } else if (opts.copyBody === true) {
      body = Buffer.from(body);
    }
  }

  const topic = buf.toString('utf8', topicStart, propertiesLengthPos);
  const properties = propertiesLength > 0 ? stringToProperties(buf.toString('utf8', propertiesStart, end)) : new Map<string, string>();
  const message = new MessageExt(topic, body, properties);
  message.storeSize = totalSize;
  message.bodyCRC = bodyCRC;
  message.queueId = buf.readInt32BE(start + 12);
  message.flag = buf.readInt32BE(start + 16);
  message.queueOffset = queueOffset;
  message.commitLogOffset = physicalOffset;
  message.sysFlag = sysFlag;
  message.bornTimestamp = bornTimestamp;
  message.bornHost = bornHost;
  message.storeTimestamp = storeTimestamp;
  message.storeHost = storeHost;
  message.reconsumeTimes = reconsumeTimes;
  message.preparedTransactionOffset = preparedTransactionOffset;
  message.msgId = properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? offsetMessageIdOf(buf, start, storeHostPos, storeV6);
  return { kind: 'message', size: totalSize, message };
}

// The offset message id is the store host field (address + port) followed by PHYSICALOFFSET,
// which the record already holds as bytes.
function offsetMessageIdOf(buf: Buffer, start: number, storeHostPos: number, storeV6: boolean): string {
  const hostEnd = storeHostPos + (storeV6 ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES) + 4;
  const offsetPos = start + RECORD_PHYSICAL_OFFSET_POSITION;
  return (buf.toString('hex', storeHostPos, hostEnd) + buf.toString('hex', offsetPos, offsetPos + 8)).toUpperCase();
}

function readHost(buf: Buffer, pos: number, isV6: boolean): SocketAddress | undefined {
  const host = isV6 ? formatIPv6(buf, pos) : formatIPv4(buf, pos);
  const port = buf.readInt32BE(pos + (isV6 ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES));
  return isValidPort(port) ? { host, port } : undefined;
}

function inflate(body: Buffer, sysFlag: number): Buffer | string {
  const type = getCompressionType(sysFlag);
  if (type !== 'ZLIB') return `body compression type ${type ?? 'unknown'} is not supported`;
  try {
    return inflateBody(body);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function invalid(reason: string): { kind: 'invalid'; reason: string } {
  return { kind: 'invalid', reason };
}
