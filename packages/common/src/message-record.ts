// The message record: one message as the CommitLog stores it and as pull responses carry it
// (records back to back). Big-endian throughout. Offsets for IPv4 born and store hosts, V1:
//
//    @0   TOTALSIZE                    int32   whole record, this field included
//    @4   MAGICCODE                    int32   V1 0xDAA320A7, V2 0xDAA320AB (2-byte topic length)
//    @8   BODYCRC                      int32   crc32(stored body) & 0x7FFFFFFF
//    @12  QUEUEID                      int32
//    @16  FLAG                         int32   user flag
//    @20  QUEUEOFFSET                  int64   index in the consume queue (not bytes)
//    @28  PHYSICALOFFSET               int64   this record's commit log offset
//    @36  SYSFLAG                      int32   see message-sys-flag.ts
//    @40  BORNTIMESTAMP                int64   ms
//    @48  BORNHOST                     4+4     address, int32 port (16+4 when SYSFLAG 0x10)
//    @56  STORETIMESTAMP               int64   ms
//    @64  STOREHOST                    4+4     address, int32 port (16+4 when SYSFLAG 0x20)
//    @72  RECONSUMETIMES               int32
//    @76  PREPARED TRANSACTION OFFSET  int64
//    @84  BODY                         int32 length, then bytes (compressed when SYSFLAG 0x1)
//         TOPIC                        int8 length (V1) or int16 (V2), then UTF-8 bytes
//         PROPERTIES                   int16 length, then the UTF-8 properties string
//
// Fixed part 91 bytes; each IPv6 host adds 12, V2 adds 1. A BLANK filler at a segment's end is
// [int32 bytes to the end of the segment][int32 0xCBD43194], then whatever the file held.

import { InvalidArgumentError, InvariantError } from './errors.js';
import { crc32Masked } from './checksum.js';
import { isInt32, writeInt64BE } from './int64.js';
import { MessageSysFlag } from './message-sys-flag.js';
import {
  type SocketAddress,
  IPV4_ADDRESS_BYTES,
  IPV6_ADDRESS_BYTES,
  isIPv6Host,
  isValidPort,
  writeHostAddress,
} from './socket-address.js';

export const MESSAGE_MAGIC_CODE_V1 = 0xdaa320a7 | 0; // -626843481
export const MESSAGE_MAGIC_CODE_V2 = 0xdaa320ab | 0; // -626843477
export const BLANK_MAGIC_CODE = 0xcbd43194 | 0; // -875286124

export const RECORD_TOTAL_SIZE_POSITION = 0;
export const RECORD_MAGIC_CODE_POSITION = 4;
export const RECORD_BODY_CRC_POSITION = 8;
export const RECORD_QUEUE_ID_POSITION = 12;
export const RECORD_FLAG_POSITION = 16;
export const RECORD_QUEUE_OFFSET_POSITION = 20;
export const RECORD_PHYSICAL_OFFSET_POSITION = 28;
export const RECORD_SYSFLAG_POSITION = 36;
export const RECORD_BORN_TIMESTAMP_POSITION = 40;
export const RECORD_BORN_HOST_POSITION = 48;

const IPV4_HOST_FIELD_BYTES = 8;
const TWO_POW_32 = 4_294_967_296;
const IPV6_HOST_FIELD_BYTES = IPV6_ADDRESS_BYTES + 4;
/** Smallest record: IPv4 hosts, V1, empty body, topic and properties. */
export const RECORD_FIXED_BYTES = 91;
/** The BLANK filler header; a segment always has at least this much room left for it. */
export const BLANK_RECORD_BYTES = 8;
/** Topics longer than this (in UTF-8 bytes) need the V2 magic. */
export const RECORD_V1_TOPIC_BYTES_MAX = 127;
/** The broker refuses longer topics (HookUtils MAX_TOPIC_LENGTH); only %RETRY% topics exceed 127. */
export const RECORD_TOPIC_BYTES_MAX = 255;
/** The properties length is a Java short. */
export const MAX_PROPERTIES_BYTES = 32_767;
/** TOTALSIZE is a Java int. */
export const RECORD_BYTES_MAX = 2_147_483_647;

export interface MessageRecordFields {
  topic: string;
  queueId: number;
  flag: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: SocketAddress;
  storeTimestamp: number;
  storeHost: SocketAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  queueOffset: number;
  physicalOffset: number;
  /** The body as stored (already compressed when sysFlag has COMPRESSED_FLAG). */
  body: Buffer;
  /** The properties string (message-properties.ts form). */
  properties: string;
  /** Computed as crc32(body) & 0x7FFFFFFF when absent. */
  bodyCRC?: number;
  // Optional pre-computed forms, for a caller that encodes many records and keeps them (the
  // store caches them per host and topic). Each must be exactly what the encoder would derive
  // from the fields above; given, the encoder skips parsing and measuring.
  /** The 4 or 16 address bytes of `bornHost.host`. */
  bornHostAddress?: Uint8Array;
  /** The 4 or 16 address bytes of `storeHost.host`. */
  storeHostAddress?: Uint8Array;
  /** The UTF-8 bytes of `topic`. */
  topicUtf8?: Uint8Array;
  /** Buffer.byteLength(properties, 'utf8'). */
  propertiesBytes?: number;
}

/** Bytes of one host field for the given V6 bit. */
function hostFieldBytes(isV6: boolean): number {
  return isV6 ? IPV6_HOST_FIELD_BYTES : IPV4_HOST_FIELD_BYTES;
}

export function recordStoreTimestampPosition(sysFlag: number): number {
  return RECORD_BORN_HOST_POSITION + hostFieldBytes((sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) !== 0);
}

export function recordStoreHostPosition(sysFlag: number): number {
  return recordStoreTimestampPosition(sysFlag) + 8;
}

export function recordBodyLengthPosition(sysFlag: number): number {
  const storeHostBytes = hostFieldBytes((sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) !== 0);
  return recordStoreHostPosition(sysFlag) + storeHostBytes + 4 + 8;
}

/** TOTALSIZE of a record with these parts (sysFlag decides the host field sizes). */
export function messageRecordSize(bodyBytes: number, topicBytes: number, propertiesBytes: number, sysFlag: number): number {
  const topicLengthBytes = topicBytes > RECORD_V1_TOPIC_BYTES_MAX ? 2 : 1;
  return recordBodyLengthPosition(sysFlag) + 4 + bodyBytes + topicLengthBytes + topicBytes + 2 + propertiesBytes;
}

/**
 * Encodes one record into a new buffer. V1 magic, or V2 when the topic is over 127 bytes. The
 * IPv6 bits of sysFlag are set from the addresses. Throws InvalidArgumentError for a value that
 * does not fit its field, a host that is not an IP literal, a topic over 255 bytes or properties
 * over 32767 bytes.
 */
export function encodeMessageRecord(fields: MessageRecordFields): Buffer {
  const plan = planRecord(fields);
  const buf = Buffer.allocUnsafe(plan.totalSize);
  writeRecord(buf, 0, fields, plan);
  return buf;
}

/**
 * Like encodeMessageRecord, written at `offset` of `target`; returns the record's size. Every
 * check runs before the first byte is written, so a refused record leaves `target` untouched.
 */
export function encodeMessageRecordInto(target: Buffer, offset: number, fields: MessageRecordFields): number {
  const plan = planRecord(fields);
  if (!Number.isInteger(offset) || offset < 0 || offset + plan.totalSize > target.length) {
    throw new InvalidArgumentError(
      'offset',
      `record of ${plan.totalSize} bytes does not fit at offset ${offset} of a ${target.length}-byte buffer`,
    );
  }
  writeRecord(target, offset, fields, plan);
  return plan.totalSize;
}

/**
 * Rewrites the fields the CommitLog assigns inside its append lock (RocketMQ patches the same
 * three into its pre-encoded bytes). `recordOffset` is where the record starts in `buf`.
 */
export function patchMessageRecord(
  buf: Buffer,
  recordOffset: number,
  patch: { queueOffset?: number; physicalOffset?: number; storeTimestamp?: number },
): void {
  if (patch.queueOffset !== undefined) {
    writeLong(buf, recordOffset + RECORD_QUEUE_OFFSET_POSITION, patch.queueOffset, 'queueOffset');
  }
  if (patch.physicalOffset !== undefined) {
    writeLong(buf, recordOffset + RECORD_PHYSICAL_OFFSET_POSITION, patch.physicalOffset, 'physicalOffset');
  }
  if (patch.storeTimestamp !== undefined) {
    const sysFlag = buf.readInt32BE(recordOffset + RECORD_SYSFLAG_POSITION);
    writeLong(buf, recordOffset + recordStoreTimestampPosition(sysFlag), patch.storeTimestamp, 'storeTimestamp');
  }
}

interface RecordPlan {
  totalSize: number;
  sysFlag: number;
  topicBytes: number;
  propertiesBytes: number;
  bornHostAddress: Uint8Array;
  storeHostAddress: Uint8Array;
}

// Every check happens here, before a byte is written: a record is either written whole or
// refused with nothing touched (the store reserves its space in the commit log first).
function planRecord(fields: MessageRecordFields): RecordPlan {
  checkInt(fields.queueId, 'queueId');
  checkInt(fields.flag, 'flag');
  checkInt(fields.sysFlag, 'sysFlag');
  checkInt(fields.reconsumeTimes, 'reconsumeTimes');
  if (fields.bodyCRC !== undefined) checkInt(fields.bodyCRC, 'bodyCRC');
  checkPort(fields.bornHost, 'bornHost');
  checkPort(fields.storeHost, 'storeHost');
  checkLong(fields.queueOffset, 'queueOffset');
  checkLong(fields.physicalOffset, 'physicalOffset');
  checkLong(fields.bornTimestamp, 'bornTimestamp');
  checkLong(fields.storeTimestamp, 'storeTimestamp');
  checkLong(fields.preparedTransactionOffset, 'preparedTransactionOffset');
  const topicBytes = fields.topicUtf8 !== undefined ? fields.topicUtf8.length : Buffer.byteLength(fields.topic, 'utf8');
  if (topicBytes > RECORD_TOPIC_BYTES_MAX) {
    throw new InvalidArgumentError('topic', `topic is ${topicBytes} bytes, more than ${RECORD_TOPIC_BYTES_MAX}`);
  }
  const propertiesBytes = fields.propertiesBytes ?? Buffer.byteLength(fields.properties, 'utf8');
  if (propertiesBytes > MAX_PROPERTIES_BYTES) {
    throw new InvalidArgumentError('properties', `properties are ${propertiesBytes} bytes, more than ${MAX_PROPERTIES_BYTES}`);
  }
  const bornHostAddress = fields.bornHostAddress ?? parseHost(fields.bornHost, 'bornHost');
  const storeHostAddress = fields.storeHostAddress ?? parseHost(fields.storeHost, 'storeHost');
  checkAddressBytes(bornHostAddress, 'bornHostAddress');
  checkAddressBytes(storeHostAddress, 'storeHostAddress');
  let sysFlag = fields.sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
  if (bornHostAddress.length === IPV6_ADDRESS_BYTES) sysFlag |= MessageSysFlag.BORNHOST_V6_FLAG;
  if (storeHostAddress.length === IPV6_ADDRESS_BYTES) sysFlag |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
  const totalSize = messageRecordSize(fields.body.length, topicBytes, propertiesBytes, sysFlag);
  if (totalSize > RECORD_BYTES_MAX) {
    throw new InvalidArgumentError('body', `record would be ${totalSize} bytes, more than ${RECORD_BYTES_MAX}`);
  }
  return { totalSize, sysFlag, topicBytes, propertiesBytes, bornHostAddress, storeHostAddress };
}

// Plain byte stores: the plan has checked every value and the buffer's room, and Buffer's
// writeInt32BE would check them again per field (measurable at ~20 fields per record).
function writeRecord(buf: Buffer, start: number, f: MessageRecordFields, plan: RecordPlan): void {
  const isV2 = plan.topicBytes > RECORD_V1_TOPIC_BYTES_MAX;
  putInt32(buf, start, plan.totalSize);
  putInt32(buf, start + 4, isV2 ? MESSAGE_MAGIC_CODE_V2 : MESSAGE_MAGIC_CODE_V1);
  putInt32(buf, start + 8, f.bodyCRC ?? crc32Masked(f.body));
  putInt32(buf, start + 12, f.queueId);
  putInt32(buf, start + 16, f.flag);
  putInt64(buf, start + 20, f.queueOffset);
  putInt64(buf, start + 28, f.physicalOffset);
  putInt32(buf, start + 36, plan.sysFlag);
  putInt64(buf, start + 40, f.bornTimestamp);
  let pos = writeHost(buf, start + 48, f.bornHost, plan.bornHostAddress);
  putInt64(buf, pos, f.storeTimestamp);
  pos = writeHost(buf, pos + 8, f.storeHost, plan.storeHostAddress);
  putInt32(buf, pos, f.reconsumeTimes);
  putInt64(buf, pos + 4, f.preparedTransactionOffset);
  pos += 12;
  putInt32(buf, pos, f.body.length);
  pos += 4;
  buf.set(f.body, pos);
  pos += f.body.length;
  if (isV2) {
    buf[pos] = plan.topicBytes >>> 8;
    buf[pos + 1] = plan.topicBytes & 0xff;
  } else {
    buf[pos] = plan.topicBytes;
  }
  pos += isV2 ? 2 : 1;
  if (f.topicUtf8 !== undefined) buf.set(f.topicUtf8, pos);
  else buf.write(f.topic, pos, plan.topicBytes, 'utf8');
  pos += plan.topicBytes;
  buf[pos] = plan.propertiesBytes >>> 8;
  buf[pos + 1] = plan.propertiesBytes & 0xff;
  pos += 2;
  if (plan.propertiesBytes > 0) pos += buf.write(f.properties, pos, plan.propertiesBytes, 'utf8');
  // Per record: the message is built only on failure (an assert's argument always is).
  if (pos !== start + plan.totalSize) throw new InvariantError(`record encoding wrote ${pos - start} bytes, planned ${plan.totalSize}`);
}

/** Address bytes and the port; returns the position after them. */
function writeHost(buf: Buffer, pos: number, addr: SocketAddress, address: Uint8Array): number {
  buf.set(address, pos);
  putInt32(buf, pos + address.length, addr.port);
  return pos + address.length + 4;
}

function putInt32(buf: Buffer, pos: number, value: number): void {
  buf[pos] = value >>> 24;
  buf[pos + 1] = (value >>> 16) & 0xff;
  buf[pos + 2] = (value >>> 8) & 0xff;
  buf[pos + 3] = value & 0xff;
}

/** A safe integer as a big-endian two's-complement int64 (same bytes as int64.ts writeInt64BE). */
function putInt64(buf: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  putInt32(buf, pos, high | 0);
  putInt32(buf, pos + 4, (value - high * TWO_POW_32) >>> 0);
}

/** The address bytes of a host; a host that is not an IP literal is refused. */
function parseHost(addr: SocketAddress, name: string): Uint8Array {
  const address = Buffer.allocUnsafe(isIPv6Host(addr.host) ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES);
  if (writeHostAddress(address, 0, addr.host) === 0) {
    throw new InvalidArgumentError(name, `${name} "${addr.host}" is not an IPv4 or IPv6 literal`);
  }
  return address;
}

function checkAddressBytes(address: Uint8Array, name: string): void {
  if (address.length !== IPV4_ADDRESS_BYTES && address.length !== IPV6_ADDRESS_BYTES) {
    throw new InvalidArgumentError(name, `${name} has ${address.length} bytes, expected 4 or 16`);
  }
}

function writeLong(buf: Buffer, pos: number, value: number, name: string): void {
  checkLong(value, name);
  writeInt64BE(buf, value, pos);
}

function checkLong(value: number, name: string): void {
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(name, `${name} ${value} is not a safe integer`);
}

function checkInt(value: number, name: string): void {
  if (!isInt32(value)) throw new InvalidArgumentError(name, `${name} ${value} is not a 32-bit integer`);
}

function checkPort(addr: SocketAddress, name: string): void {
  if (!isValidPort(addr.port)) throw new InvalidArgumentError(name, `${name} port ${addr.port} is not 0..65535`);
}
