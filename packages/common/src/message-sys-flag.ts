// SYSFLAG bits of a message record and of the send header (MessageSysFlag in RocketMQ):
//
//   bit 0      0x1    COMPRESSED            body is compressed
//   bit 1      0x2    MULTI_TAGS            legacy filter type
//   bits 2-3   0xC    transaction type      0x0 NOT, 0x4 PREPARED, 0x8 COMMIT, 0xC ROLLBACK
//   bit 4      0x10   BORNHOST_V6           born host field is 16+4 bytes
//   bit 5      0x20   STOREHOSTADDRESS_V6   store host field is 16+4 bytes
//   bit 6      0x40   NEED_UNWRAP           [5.x] inner batch
//   bit 7      0x80   INNER_BATCH           [5.x] inner batch
//   bits 8-10  0x700  compression type      0x100 LZ4, 0x200 ZSTD, 0x300 ZLIB; 0 means ZLIB (4.x)

export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x2,
  TRANSACTION_NOT_TYPE: 0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6_FLAG: 0x10,
  STOREHOSTADDRESS_V6_FLAG: 0x20,
  NEED_UNWRAP_FLAG: 0x40,
  INNER_BATCH_FLAG: 0x80,
  COMPRESSION_LZ4_TYPE: 0x100,
  COMPRESSION_ZSTD_TYPE: 0x200,
  COMPRESSION_ZLIB_TYPE: 0x300,
  COMPRESSION_TYPE_COMPARATOR: 0x700,
} as const;

export type CompressionType = 'ZLIB' | 'LZ4' | 'ZSTD';

/** The transaction type bits (`sysFlag & 0xC`). */
export function getTransactionValue(sysFlag: number): number {
  return sysFlag & MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
}

/** `sysFlag` with its transaction bits replaced by `type` (one of the TRANSACTION_* values). */
export function resetTransactionValue(sysFlag: number, type: number): number {
  return (sysFlag & ~MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) | type;
}

export function clearCompressedFlag(sysFlag: number): number {
  return sysFlag & ~MessageSysFlag.COMPRESSED_FLAG;
}

/**
 * The compression type bits. RocketMQ 4.x sets only COMPRESSED_FLAG and always means zlib, so a
 * zero type reads as ZLIB; undefined for the unused values 4..7.
 */
export function getCompressionType(sysFlag: number): CompressionType | undefined {
  switch ((sysFlag & MessageSysFlag.COMPRESSION_TYPE_COMPARATOR) >> 8) {
    case 0:
    case 3:
      return 'ZLIB';
    case 1:
      return 'LZ4';
    case 2:
      return 'ZSTD';
    default:
      return undefined;
  }
}

export function hasSysFlag(sysFlag: number, bit: number): boolean {
  return (sysFlag & bit) !== 0;
}
