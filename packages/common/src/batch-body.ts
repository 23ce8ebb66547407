// SEND_BATCH_MESSAGE body: the client-format record of each message, back to back
// (MessageDecoder.encodeMessage in RocketMQ):
//
//    @0  TOTALSIZE    int32   this record, this field included
//    @4  MAGICCODE    int32   0 (the broker ignores it)
//    @8  BODYCRC      int32   0 (the broker computes its own)
//    @12 FLAG         int32
//    @16 BODY         int32 length, then the bytes (never compressed)
//        PROPERTIES   int16 length, then the properties string (each message has its own
//                     UNIQ_KEY, WAIT, TAGS, KEYS)
//
// No topic: every message of a batch goes to the topic and queue of the request header.
// The broker reads these fields in order; here TOTALSIZE must also match them exactly.

import { InvalidArgumentError } from './errors.js';
import { isInt32 } from './int64.js';
import { Message } from './message.js';
import { propertiesToString, stringToProperties } from './message-properties.js';
import { MAX_PROPERTIES_BYTES, RECORD_BYTES_MAX } from './message-record.js';

/** TOTALSIZE + MAGICCODE + BODYCRC + FLAG + body length + properties length. */
export const BATCH_RECORD_FIXED_BYTES = 4 + 4 + 4 + 4 + 4 + 2;

export type BatchBodyDecodeResult = { ok: true; messages: Message[] } | { ok: false; reason: string };

/** Throws InvalidArgumentError for a flag that is not an int or properties over 32767 bytes. */
export function encodeBatchBody(messages: readonly Message[]): Buffer {
  const parts: { message: Message; properties: string; propertiesBytes: number }[] = [];
  let totalBytes = 0;
  for (const message of messages) {
    if (!isInt32(message.flag)) throw new InvalidArgumentError('flag', `message flag ${message.flag} is not a 32-bit integer`);
    const properties = propertiesToString(message.properties);
    const propertiesBytes = Buffer.byteLength(properties, 'utf8');
    if (propertiesBytes > MAX_PROPERTIES_BYTES) {
      throw new InvalidArgumentError('properties', `properties are ${propertiesBytes} bytes, more than ${MAX_PROPERTIES_BYTES}`);
    }
    parts.push({ message, properties, propertiesBytes });
    totalBytes += BATCH_RECORD_FIXED_BYTES + message.body.length + propertiesBytes;
  }
  if (totalBytes > RECORD_BYTES_MAX) {
    throw new InvalidArgumentError('messages', `batch body would be ${totalBytes} bytes, more than ${RECORD_BYTES_MAX}`);
  }
  const buf = Buffer.allocUnsafe(totalBytes);
  let pos = 0;
  for (const { message, properties, propertiesBytes } of parts) {
    buf.writeInt32BE(BATCH_RECORD_FIXED_BYTES + message.body.length + propertiesBytes, pos);
    buf.writeInt32BE(0, pos + 4);
    buf.writeInt32BE(0, pos + 8);
    buf.writeInt32BE(message.flag, pos + 12);
    buf.writeInt32BE(message.body.length, pos + 16);
    pos += 20;
    pos += message.body.copy(buf, pos);
    buf.writeInt16BE(propertiesBytes, pos);
    pos += 2;
    pos += buf.write(properties, pos, propertiesBytes, 'utf8');
  }
  return buf;
}

/**
 * Total. Messages get topic "" (the caller sets the header's topic), the record's flag, the
 * body as a view into `buf` (keep `buf` unmodified while they are in use), and exactly the
 * record's properties (no WAIT default added).
 */
export function decodeBatchBody(buf: Buffer): BatchBodyDecodeResult {
  const messages: Message[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const available = buf.length - pos;
    const where = `batch record ${messages.length} at offset ${pos}`;
    if (available < BATCH_RECORD_FIXED_BYTES) return fail(`${where}: truncated, ${available} bytes left`);
    const totalSize = buf.readInt32BE(pos);
    if (totalSize < BATCH_RECORD_FIXED_BYTES || totalSize > available) {
      return fail(`${where}: size ${totalSize} is not within ${BATCH_RECORD_FIXED_BYTES}..${available}`);
    }
    const end = pos + totalSize;
    const flag = buf.readInt32BE(pos + 12);
    const bodyLength = buf.readInt32BE(pos + 16);
    const bodyStart = pos + 20;
    if (bodyLength < 0 || bodyLength > end - bodyStart - 2) {
      return fail(`${where}: body length ${bodyLength} does not fit in ${totalSize} bytes`);
    }
    const propertiesLengthPos = bodyStart + bodyLength;
    const propertiesLength = buf.readInt16BE(propertiesLengthPos);
    if (propertiesLength < 0 || propertiesLengthPos + 2 + propertiesLength !== end) {
      return fail(`${where}: properties length ${propertiesLength} does not match size ${totalSize}`);
    }
    const properties = stringToProperties(buf.toString('utf8', propertiesLengthPos + 2, end));
    const body = buf.subarray(bodyStart, propertiesLengthPos);
    messages.push(new Message('', body, { flag, properties }));
    pos = end;
  }
  return { ok: true, messages };
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
