// Message body compression as the Java producer does it: a zlib stream (2-byte header, deflate,
// Adler-32; java.util.zip.Deflater), level 5 by default, flagged in SYSFLAG with COMPRESSED_FLAG
// plus the ZLIB type bits (0x300) in 5.x. Producers compress bodies of at least
// COMPRESS_BODY_OVER_BYTES; batches are never compressed.

import * as zlib from 'node:zlib';
import { InvalidArgumentError } from './errors.js';
import { MiB } from './units.js';
import { MessageSysFlag } from './message-sys-flag.js';

/** Producer default `compressMsgBodyOverHowmuch`. */
export const COMPRESS_BODY_OVER_BYTES = 4096;
/** Producer default `rocketmq.message.compressLevel` (5.x). */
export const COMPRESS_LEVEL_DEFAULT = 5;
/**
 * Largest body `decompressBody` will produce. The producer checks the uncompressed body against
 * maxMessageSize (4 MiB by default, raised by some sites), so 64 MiB leaves room and still stops
 * a zip bomb from taking the heap.
 */
export const DECOMPRESSED_BODY_BYTES_MAX = 64 * MiB;

/** What a producer ORs into the header/record sysFlag for a zlib-compressed body (5.x). */
export const ZLIB_COMPRESSED_SYS_FLAG = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB_TYPE;

export function compressBody(body: Buffer, level: number = COMPRESS_LEVEL_DEFAULT): Buffer {
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidArgumentError('level', `zlib level ${level} is not an integer 0..9`);
  }
  return zlib.deflateSync(body, { level });
}

/** Inflates a zlib stream; throws InvalidArgumentError on corrupt data or an oversized result. */
export function decompressBody(body: Buffer): Buffer {
  try {
    return zlib.inflateSync(body, { maxOutputLength: DECOMPRESSED_BODY_BYTES_MAX });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidArgumentError('body', `cannot inflate compressed body: ${why}`);
  }
}
