// Java `long` fields on the wire and on disk, carried as JS numbers.
//
// RocketMQ writes int64 big-endian (two's complement). Offsets, timestamps and queue offsets
// all stay far below 2^53, so Apogee keeps them as plain numbers and refuses values that are
// not safe integers instead of silently rounding them.

const TWO_POW_32 = 4_294_967_296;

/** True when `value` fits a Java `int` (signed 32-bit). */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2_147_483_648 && value <= 2_147_483_647;
}

/** Writes a safe integer as a big-endian int64. The caller checks `Number.isSafeInteger` first. */
export function writeInt64BE(buf: Buffer, value: number, offset: number): void {
  const high = Math.floor(value / TWO_POW_32);
  const low = value - high * TWO_POW_32;
  buf.writeInt32BE(high, offset);
  buf.writeUInt32BE(low, offset + 4);
}

/**
 * Reads a big-endian int64. Returns NaN when the value is outside the safe-integer range, so a
 * decoder can turn it into an `invalid` result with one `Number.isNaN` check.
 */
export function readInt64BE(buf: Buffer, offset: number): number {
  const value = buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}
