import {
  BLANK_MAGIC_CODE,
  BLANK_RECORD_BYTES,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  MessageConst,
  MessageSysFlag,
  RECORD_BODY_CRC_POSITION,
  RECORD_BORN_HOST_POSITION,
  RECORD_PHYSICAL_OFFSET_POSITION,
  RECORD_QUEUE_ID_POSITION,
  RECORD_QUEUE_OFFSET_POSITION,
  RECORD_SYSFLAG_POSITION,
  RECORD_TOTAL_SIZE_POSITION,
  crc32Masked,
  getTransactionValue,
  readInt64BE,
  recordStoreTimestampPosition,
  tagsHashCode,
} from '@apogee/common';

// CommitLog record layout (RocketMQ message layout, reference §2.2; constants from
// @apogee/common's message-record.ts), big-endian:
//   TOTALSIZE int32 @0 | MAGICCODE int32 @4 | BODYCRC int32 @8 | QUEUEID int32 @12 | FLAG int32 @16
//   QUEUEOFFSET int64 @20 | PHYSICALOFFSET int64 @28 | SYSFLAG int32 @36 | BORNTIMESTAMP int64 @40
//   BORNHOST 8 (IPv4) or 20 (IPv6, sysFlag 0x10) | STORETIMESTAMP int64
//   STOREHOSTADDRESS 8 or 20 (sysFlag 0x20) | RECONSUMETIMES int32 | PREPARED TX OFFSET int64
//   BODY int32 length + bytes | TOPIC int8 (V1) or int16 (V2) length + bytes
//   PROPERTIES int16 length + bytes ("k 0x01 v 0x02" pairs)
// BLANK filler at a segment end: [int32 bytes remaining][int32 BLANK_MAGIC_CODE].
//
// This is the store's lean reader for dispatch and recovery: it checks a record and finds its
// parts straight in the Buffer (frameRecord), never building a message object or copying the
// body (the full decoder, decodeMessageRecord, builds a MessageExt per record).

export { BLANK_MAGIC_CODE };
export const BLANK_HEADER_BYTES = BLANK_RECORD_BYTES;
export const POS_TOTAL_SIZE = RECORD_TOTAL_SIZE_POSITION;
export const POS_QUEUE_ID = RECORD_QUEUE_ID_POSITION;
export const POS_QUEUE_OFFSET = RECORD_QUEUE_OFFSET_POSITION;
export const POS_PHYSICAL_OFFSET = RECORD_PHYSICAL_OFFSET_POSITION;
export const POS_SYS_FLAG = RECORD_SYSFLAG_POSITION;
const POS_BODY_CRC = RECORD_BODY_CRC_POSITION;
const POS_BORN_HOST = RECORD_BORN_HOST_POSITION;
const MAGIC_CODE_V1 = MESSAGE_MAGIC_CODE_V1;
const MAGIC_CODE_V2 = MESSAGE_MAGIC_CODE_V2;
const SYSFLAG_BORNHOST_V6 = MessageSysFlag.BORNHOST_V6_FLAG;
const SYSFLAG_STOREHOST_V6 = MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
export const TRANSACTION_ROLLBACK_TYPE = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
export const PROPERTY_TAGS = MessageConst.PROPERTY_TAGS;
export const PROPERTY_KEYS = MessageConst.PROPERTY_KEYS;
export const PROPERTY_UNIQ_KEY = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX;
export const transactionType = getTransactionValue;
export const storeTimestampPosition = recordStoreTimestampPosition;
export const javaStringHashCode = tagsHashCode;

/** Smallest possible record: IPv4 hosts, V1, empty body, 1-byte topic, no properties. */
const RECORD_BYTES_MIN = 92;


/** Fields of one record, read for recovery (and tests). */
export interface RecordInfo {
  size: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
  sysFlag: number;
  storeTimestamp: number;
  preparedTransactionOffset: number;
  bodyCRC: number;
  /** Raw properties text (0x01/0x02 form). */
  properties: string;
}

export type RecordParse =
  | { kind: 'message'; info: RecordInfo }
  | { kind: 'blank'; size: number }
  /** The record continues past the end of `buf`: `size` is its TOTALSIZE (0 if not even 8 bytes). */
  | { kind: 'needMore'; size: number }
  | { kind: 'invalid'; reason: string };

/**
 * Where the parts of a checked message record are in its buffer (absolute positions), as
 * frameRecord found them. Owned and reused by one reader, so that framing allocates nothing.
 */
export class RecordFrame {
  pos = 0;
  size = 0;
  sysFlag = 0;
  physicalOffset = 0;
  storeTimestampPos = 0;
  preparedPos = 0;
  bodyPos = 0;
  bodyLen = 0;
  topicPos = 0;
  topicLen = 0;
  propsPos = 0;
  propsLen = 0;
}

export type FrameResult = { kind: 'message' } | Exclude<RecordParse, { kind: 'message' }>;

const FRAMED: FrameResult = { kind: 'message' };

/**
 * Parses the record at `buf[pos]`. Total: never throws. `expectedPhysicalOffset`, when given, must
 * equal the stored PHYSICALOFFSET (a stale record left behind by an old truncation fails this).
 */
export function parseRecord(
  buf: Buffer,
  pos: number,
  opts: { checkCRC: boolean; expectedPhysicalOffset?: number },
): RecordParse {
  const frame = new RecordFrame();
  const r = frameRecord(buf, pos, opts, frame);
  if (r.kind !== 'message') return r;
  const info: RecordInfo = {
    size: frame.size,
    topic: buf.toString('utf8', frame.topicPos, frame.topicPos + frame.topicLen),
    queueId: buf.readInt32BE(pos + POS_QUEUE_ID),
    queueOffset: readInt64BE(buf, pos + POS_QUEUE_OFFSET),
    physicalOffset: frame.physicalOffset,
    sysFlag: frame.sysFlag,
    storeTimestamp: readInt64BE(buf, frame.storeTimestampPos),
    preparedTransactionOffset: readInt64BE(buf, frame.preparedPos),
    bodyCRC: buf.readInt32BE(pos + POS_BODY_CRC),
    properties: frame.propsLen === 0 ? '' : buf.toString('utf8', frame.propsPos, frame.propsPos + frame.propsLen),
  };
  return { kind: 'message', info };
}

/**
 * Checks the record at `buf[pos]` (magic, lengths against TOTALSIZE, PHYSICALOFFSET, and the body
 * CRC when asked) and fills `frame` with where its parts are. Total: never throws.
 */
export function frameRecord(
  buf: Buffer,
  pos: number,
  opts: { checkCRC: boolean; expectedPhysicalOffset?: number },
  frame: RecordFrame,
): FrameResult {
  const avail = buf.length - pos;
  if (avail < 8) return { kind: 'needMore', size: 0 };
  const totalSize = buf.readInt32BE(pos + POS_TOTAL_SIZE);
  const magic = buf.readInt32BE(pos + 4);
  if (magic === BLANK_MAGIC_CODE) {
    if (totalSize < BLANK_HEADER_BYTES) return { kind: 'invalid', reason: `blank filler size ${totalSize} < 8` };
    return { kind: 'blank', size: totalSize };
  }
  if (magic !== MAGIC_CODE_V1 && magic !== MAGIC_CODE_V2) {
    return { kind: 'invalid', reason: `bad magic code 0x${(magic >>> 0).toString(16)}` };
  }
  if (totalSize < RECORD_BYTES_MIN) return { kind: 'invalid', reason: `total size ${totalSize} too small` };
  if (avail < totalSize) return { kind: 'needMore', size: totalSize };
  return frameWholeRecord(buf, pos, totalSize, magic === MAGIC_CODE_V2, opts, frame);
}

function frameWholeRecord(
  buf: Buffer,
  pos: number,
  totalSize: number,
  isV2: boolean,
  opts: { checkCRC: boolean; expectedPhysicalOffset?: number },
  frame: RecordFrame,
): FrameResult {
  const end = pos + totalSize;
  const sysFlag = buf.readInt32BE(pos + POS_SYS_FLAG);
  const bornHostBytes = (sysFlag & SYSFLAG_BORNHOST_V6) !== 0 ? 20 : 8;
  const storeHostBytes = (sysFlag & SYSFLAG_STOREHOST_V6) !== 0 ? 20 : 8;
  const storeTsPos = pos + POS_BORN_HOST + bornHostBytes;
  const reconsumePos = storeTsPos + 8 + storeHostBytes;
  const preparedPos = reconsumePos + 4;
  const bodyLenPos = preparedPos + 8;
  if (bodyLenPos + 4 > end) return { kind: 'invalid', reason: 'record shorter than its fixed fields' };
  const bodyLen = buf.readInt32BE(bodyLenPos);
  const bodyPos = bodyLenPos + 4;
  if (bodyLen < 0 || bodyPos + bodyLen > end) return { kind: 'invalid', reason: `body length ${bodyLen} out of range` };
  const topicLenPos = bodyPos + bodyLen;
  const topicLenBytes = isV2 ? 2 : 1;
  if (topicLenPos + topicLenBytes > end) return { kind: 'invalid', reason: 'topic length past record end' };
  const topicLen = isV2 ? buf.readInt16BE(topicLenPos) : buf.readInt8(topicLenPos);
  const topicPos = topicLenPos + topicLenBytes;
  if (topicLen <= 0 || topicPos + topicLen + 2 > end) return { kind: 'invalid', reason: `topic length ${topicLen} out of range` };
  const propsLenPos = topicPos + topicLen;
  const propsLen = buf.readInt16BE(propsLenPos);
  const propsPos = propsLenPos + 2;
  if (propsLen < 0 || propsPos + propsLen !== end) {
    return { kind: 'invalid', reason: `lengths add up to ${propsPos + Math.max(propsLen, 0) - pos}, TOTALSIZE says ${totalSize}` };
  }
  const physicalOffset = readInt64BE(buf, pos + POS_PHYSICAL_OFFSET);
  if (opts.expectedPhysicalOffset !== undefined && physicalOffset !== opts.expectedPhysicalOffset) {
    return { kind: 'invalid', reason: `PHYSICALOFFSET ${physicalOffset} is not its position ${opts.expectedPhysicalOffset}` };
  }
  if (opts.checkCRC) {
    const bodyCRC = buf.readInt32BE(pos + POS_BODY_CRC);
    const crc = crc32Masked(buf, bodyPos, bodyPos + bodyLen);
    if (crc !== bodyCRC) return { kind: 'invalid', reason: `body CRC ${crc} != stored ${bodyCRC}` };
  }
  frame.pos = pos;
  frame.size = totalSize;
  frame.sysFlag = sysFlag;
  frame.physicalOffset = physicalOffset;
  frame.storeTimestampPos = storeTsPos;
  frame.preparedPos = preparedPos;
  frame.bodyPos = bodyPos;
  frame.bodyLen = bodyLen;
  frame.topicPos = topicPos;
  frame.topicLen = topicLen;
  frame.propsPos = propsPos;
  frame.propsLen = propsLen;
  return FRAMED;
}
