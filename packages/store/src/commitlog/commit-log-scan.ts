import { MiB } from '@apogee/common';
import type { SegmentFile } from '../segment/segment-file.js';
import type { SegmentQueue } from '../segment/segment-queue.js';
import { parseRecord } from './record-layout.js';

// Recovery's commit-log scan (reference §12.1): from a record boundary, walk records forward
// with CRC checks (checkCRCOnRecover) until the first one that is not valid. That offset is the
// end of the log. Synchronous: it runs at startup, before the store serves anything.

const SCAN_CHUNK_BYTES = 4 * MiB;

export interface ScanStop {
  /** Where valid data ends. */
  offset: number;
  reason: string;
  /** Non-zero bytes from `offset` to the end of that segment: 0 for a clean end of data. */
  garbageBytes: number;
  /** Segments after the one holding `offset` (all of them are dropped). */
  laterSegments: number;
}

export interface ScanResult {
  end: number;
  records: number;
  /** Undefined when the scan simply reached the end of the data (zeros). */
  stop: ScanStop | undefined;
}

export function scanCommitLogSync(segments: SegmentQueue, from: number, checkCRC: boolean): ScanResult {
  let pos = from;
  let records = 0;
  let buf = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, segments.fileSize));
  for (;;) {
    const seg = segments.find(pos);
    if (!seg) return { end: pos, records, stop: undefined };
    const segOff = pos - seg.fileFromOffset;
    const n = seg.readSync(buf, segOff, Math.min(buf.length, seg.fileSize - segOff));
    if (n === 0) return { end: pos, records, stop: undefined };
    const view = buf.subarray(0, n);
    let i = 0;
    let reason: string | undefined;
    while (i < n) {
      const r = parseRecord(view, i, { checkCRC, expectedPhysicalOffset: pos + i });
      if (r.kind === 'message') {
        i += r.info.size;
        records++;
        continue;
      }
      if (r.kind === 'blank') {
        if (pos + i + r.size !== seg.fileEndOffset) {
          reason = `BLANK filler of ${r.size} bytes does not end its segment`;
          break;
        }
        i = n;
        pos = seg.fileEndOffset;
        break;
      }
      if (r.kind === 'needMore') {
        const recordEnd = pos + i + r.size;
        if (r.size > 0 && recordEnd <= seg.fileEndOffset) {
          if (i === 0) buf = Buffer.allocUnsafe(r.size); // a record longer than a chunk
          break;
        }
        reason = r.size === 0 ? 'fewer than 8 bytes before the segment end' : `record of ${r.size} bytes runs past its segment`;
        break;
      }
      reason = r.reason;
      break;
    }
    if (reason !== undefined) {
      const at = pos + i;
      const garbageBytes = nonZeroSpan(seg, at - seg.fileFromOffset);
      if (garbageBytes === 0) return { end: at, records, stop: undefined };
      const laterSegments = segments.all().filter((s) => s.fileFromOffset > seg.fileFromOffset).length;
      return { end: at, records, stop: { offset: at, reason, garbageBytes, laterSegments } };
    }
    if (pos < seg.fileEndOffset) pos += i;
  }
}

/** Bytes from `position` to the last non-zero byte of the segment (0 if all zeros). */
function nonZeroSpan(seg: SegmentFile, position: number): number {
  const buf = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, seg.fileSize));
  let lastNonZero = -1;
  for (let p = position; p < seg.fileSize; p += buf.length) {
    const n = seg.readSync(buf, p, Math.min(buf.length, seg.fileSize - p));
    for (let k = n - 1; k >= 0; k--) {
      if (buf[k] !== 0) {
        lastNonZero = p + k;
        break;
      }
    }
  }
  return lastNonZero < 0 ? 0 : lastNonZero + 1 - position;
}
