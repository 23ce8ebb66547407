// The two hashes RocketMQ puts on disk and on the wire.
//
// BODYCRC: standard CRC-32 (zlib / java.util.zip.CRC32) masked with 0x7FFFFFFF, so it is always
// a non-negative Java int. tagsCode: Java String.hashCode of the TAGS property, over UTF-16 code
// units with 32-bit wrap-around, stored in each ConsumeQueue unit and used by tag filtering.

import * as zlib from 'node:zlib';

const CRC32_MASK = 0x7fffffff;

type Crc32Fn = (data: Uint8Array) => number;

// zlib.crc32 exists from Node 20.15; the workspace allows 20.10, so keep a table fallback.
const nativeCrc32 = (zlib as { crc32?: Crc32Fn }).crc32;

/** CRC-32 of `buf[start, end)`, masked to a non-negative int as RocketMQ stores it. */
export function crc32Masked(buf: Buffer, start = 0, end = buf.length): number {
  const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
  const crc = nativeCrc32 !== undefined ? nativeCrc32(view) : crc32Table(view);
  return crc & CRC32_MASK;
}

/** Java `String.hashCode()` as a signed 32-bit number; "" gives 0. */
export function tagsHashCode(tags: string): number {
  let hash = 0;
  for (let i = 0; i < tags.length; i++) hash = (Math.imul(31, hash) + tags.charCodeAt(i)) | 0;
  return hash;
}

/** Plain table-driven CRC-32 (polynomial 0xEDB88320). Exported for the cross-check test. */
export function crc32Table(data: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < data.length; i++) {
    crc = (crc >>> 8) ^ (CRC32_TABLE[(crc ^ (data[i] ?? 0)) & 0xff] ?? 0);
  }
  return (crc ^ -1) >>> 0;
}

const CRC32_TABLE = buildTable();

function buildTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}
