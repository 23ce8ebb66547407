import fs from 'node:fs';
import zlib from 'node:zlib';
import { datasync, readAtSync, writeAtSync } from '../util/fd-io.js';
import { readInt64BE, writeInt64BE } from '@apogee/common';

// StoreCheckpoint, file `checkpoint`, 4096 bytes (reference §10), big-endian:
//   physicMsgTimestamp int64 @0 | logicsMsgTimestamp int64 @8 | indexMsgTimestamp int64 @16
//   masterFlushedOffset int64 @24 | confirmPhyOffset int64 @32
// Apogee extension, invisible to RocketMQ (which reads the first 40 bytes only):
//   magic int32 @64 ("APGE") | version int32 @68 | dispatchedPhyOffset int64 @72
//   indexNewestFileMs int64 @80 | crc32 of bytes [0, 88) int32 @88
// dispatchedPhyOffset: every record before it is in the ConsumeQueues and the IndexFile, and
// those were flushed before this value was written. indexNewestFileMs: creation time (the name)
// of the newest index file at that moment, so a start can tell that it went missing. The file is written only by flush(), after
// the data it describes is durable, so a value on disk never runs ahead of the data.

export const CHECKPOINT_FILE_BYTES = 4096;
const EXT_MAGIC = 0x41504745;
const EXT_VERSION = 1;
const EXT_POS = 64;
const EXT_CRC_POS = EXT_POS + 24;
const USED_BYTES = EXT_CRC_POS + 4;

export class StoreCheckpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  masterFlushedOffset = 0;
  confirmPhyOffset = 0;
  /** Undefined when the file has no valid Apogee extension (new file, RocketMQ file, corruption). */
  dispatchedPhyOffset: number | undefined;
  /** 0 when there was no index file. Meaningful only with dispatchedPhyOffset. */
  indexNewestFileMs = 0;

  private constructor(
    readonly filePath: string,
    private readonly fd: number,
  ) {}

  /** Opens (creating a zeroed 4 KiB file if absent) and reads the checkpoint. Startup only. */
  static openSync(filePath: string): StoreCheckpoint {
    const existed = fs.existsSync(filePath);
    const fd = fs.openSync(filePath, existed ? 'r+' : 'w+', 0o644);
    // Real zeros rather than a sparse hole: later writes never need a new block (a full disk
    // cannot fail them).
    if (!existed || fs.fstatSync(fd).size < CHECKPOINT_FILE_BYTES) {
      const size = fs.fstatSync(fd).size;
      writeAtSync(fd, Buffer.alloc(CHECKPOINT_FILE_BYTES - size), size);
    }
    const cp = new StoreCheckpoint(filePath, fd);
    const buf = Buffer.alloc(USED_BYTES);
    readAtSync(fd, buf, 0, USED_BYTES);
    cp.physicMsgTimestamp = readInt64BE(buf, 0);
    cp.logicsMsgTimestamp = readInt64BE(buf, 8);
    cp.indexMsgTimestamp = readInt64BE(buf, 16);
    cp.masterFlushedOffset = readInt64BE(buf, 24);
    cp.confirmPhyOffset = readInt64BE(buf, 32);
    const extOk =
      buf.readInt32BE(EXT_POS) === EXT_MAGIC &&
      buf.readInt32BE(EXT_POS + 4) === EXT_VERSION &&
      buf.readInt32BE(EXT_CRC_POS) === (zlib.crc32(buf.subarray(0, EXT_CRC_POS)) | 0);
    cp.dispatchedPhyOffset = extOk ? readInt64BE(buf, EXT_POS + 8) : undefined;
    cp.indexNewestFileMs = extOk ? readInt64BE(buf, EXT_POS + 16) : 0;
    return cp;
  }

  /** RocketMQ's minTimestamp: max(0, min(physic, logics) - 3 s). */
  get minTimestamp(): number {
    return Math.max(0, Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp) - 3000);
  }

  get minTimestampIndex(): number {
    return Math.min(this.minTimestamp, this.indexMsgTimestamp);
  }

  /** Writes every field and fdatasyncs. Callers make the described data durable first. */
  async flush(): Promise<void> {
    this.writeSync();
    await datasync(this.fd);
  }

  /** Writes every field to the page cache (startup, shutdown). */
  writeSync(): void {
    const buf = Buffer.alloc(USED_BYTES);
    writeInt64BE(buf, this.physicMsgTimestamp, 0);
    writeInt64BE(buf, this.logicsMsgTimestamp, 8);
    writeInt64BE(buf, this.indexMsgTimestamp, 16);
    writeInt64BE(buf, this.masterFlushedOffset, 24);
    writeInt64BE(buf, this.confirmPhyOffset, 32);
    if (this.dispatchedPhyOffset !== undefined) {
      buf.writeInt32BE(EXT_MAGIC, EXT_POS);
      buf.writeInt32BE(EXT_VERSION, EXT_POS + 4);
      writeInt64BE(buf, this.dispatchedPhyOffset, EXT_POS + 8);
      writeInt64BE(buf, this.indexNewestFileMs, EXT_POS + 16);
      buf.writeInt32BE(zlib.crc32(buf.subarray(0, EXT_CRC_POS)) | 0, EXT_CRC_POS);
    }
    writeAtSync(this.fd, buf, 0);
  }

  closeSync(): void {
    fs.closeSync(this.fd);
  }
}
