// Limits of the remoting codec. Every length read from the wire is checked against one of these
// before anything is allocated. Relations between them are asserted when the module loads.

import { assert, InvalidArgumentError, KiB, MiB } from '@apogee/common';

/** Bytes of the frame's length field (int32, counts the bytes after itself). */
export const FRAME_LENGTH_FIELD_BYTES = 4;
/** Bytes of the header word (serialize type byte + 24-bit header length). */
export const FRAME_HEADER_WORD_BYTES = 4;
/** Bytes before the header: length field + header word. */
export const FRAME_PREFIX_BYTES = FRAME_LENGTH_FIELD_BYTES + FRAME_HEADER_WORD_BYTES;

/**
 * Largest whole frame, length field included. RocketMQ's `com.rocketmq.remoting.frameMaxLength`
 * default (16 MiB); Netty's LengthFieldBasedFrameDecoder counts the length field in it too.
 */
export const FRAME_BYTES_MAX = 16 * MiB;

/**
 * Largest header. The wire format allows 16 MiB - 1 (24 bits); no real header comes close:
 * the biggest legitimate one is a send header whose properties string is capped by Java at
 * 32767 bytes. 1 MiB leaves 30x headroom for long remarks and large ext fields while keeping the
 * work of parsing one hostile header small (a 1 MiB JSON parse is a few milliseconds).
 */
export const HEADER_BYTES_MAX = 1 * MiB;

/** The header length is the low 24 bits of the header word. */
export const HEADER_LENGTH_FIELD_MAX = 0xff_ffff;

/** Fixed part of a ROCKETMQ binary header: code 2, language 1, version 2, opaque 4, flag 4, remark len 4, ext len 4. */
export const ROCKETMQ_HEADER_FIXED_BYTES = 21;

/** An ext-field key's length is a Java short in the ROCKETMQ binary header. */
export const EXT_KEY_BYTES_MAX = 0x7fff;

export { JSON_NESTING_DEPTH_MAX } from '@apogee/common';

/** Remark text placed into a reason string is cut to this many characters. */
export const REASON_EXCERPT_CHARS_MAX = 64;

/** Smallest frame limit a decoder accepts: room for the prefix and a minimal ROCKETMQ header. */
export const FRAME_BYTES_MAX_FLOOR = 1 * KiB;

export interface FrameLimits {
  /** largest whole frame in bytes, length field included */
  frameBytesMax: number;
  /** largest header in bytes */
  headerBytesMax: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = Object.freeze({
  frameBytesMax: FRAME_BYTES_MAX,
  headerBytesMax: HEADER_BYTES_MAX,
});

assert(HEADER_BYTES_MAX < FRAME_BYTES_MAX, 'HEADER_BYTES_MAX must be below FRAME_BYTES_MAX');
assert(HEADER_BYTES_MAX <= HEADER_LENGTH_FIELD_MAX, 'HEADER_BYTES_MAX must fit the 24-bit header length');
assert(FRAME_BYTES_MAX <= 0x7fff_ffff, 'FRAME_BYTES_MAX must fit the int32 length field');
assert(ROCKETMQ_HEADER_FIXED_BYTES + FRAME_PREFIX_BYTES < FRAME_BYTES_MAX_FLOOR, 'FRAME_BYTES_MAX_FLOOR too small');

/** Throws InvalidArgumentError unless `limits` can be used by a decoder. */
export function checkFrameLimits(limits: FrameLimits): void {
  const { frameBytesMax, headerBytesMax } = limits;
  if (!Number.isInteger(frameBytesMax) || frameBytesMax < FRAME_BYTES_MAX_FLOOR || frameBytesMax > 0x7fff_ffff) {
    throw new InvalidArgumentError('limits.frameBytesMax', `frameBytesMax ${frameBytesMax} outside [${FRAME_BYTES_MAX_FLOOR}, 2^31-1]`);
  }
  if (!Number.isInteger(headerBytesMax) || headerBytesMax < ROCKETMQ_HEADER_FIXED_BYTES || headerBytesMax > HEADER_LENGTH_FIELD_MAX) {
    throw new InvalidArgumentError('limits.headerBytesMax', `headerBytesMax ${headerBytesMax} outside [${ROCKETMQ_HEADER_FIXED_BYTES}, ${HEADER_LENGTH_FIELD_MAX}]`);
  }
  if (headerBytesMax > frameBytesMax - FRAME_PREFIX_BYTES) {
    throw new InvalidArgumentError('limits.headerBytesMax', `headerBytesMax ${headerBytesMax} leaves no room in frameBytesMax ${frameBytesMax}`);
  }
}
