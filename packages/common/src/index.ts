export { ApogeeError, InvariantError, InvalidArgumentError, assert } from './errors.js';
export { KiB, MiB, GiB } from './units.js';
export { createLogger, type Logger } from './logger.js';
export { type Clock, systemClock, ManualClock } from './clock.js';
export { writeFileAtomic, readFileWithBackup, removeFileIfExists } from './atomic-file.js';
export {
  type IntKey,
  type BoolKey,
  type StringKey,
  type EnumKey,
  type ConfigKey,
  type ConfigOf,
  type LoadedConfig,
  ConfigError,
  loadConfig,
  configToProperties,
  describeSchema,
} from './config-schema.js';

export { isInt32, readInt64BE, writeInt64BE } from './int64.js';
export {
  type SocketAddress,
  IPV4_ADDRESS_BYTES,
  IPV6_ADDRESS_BYTES,
  PORT_MAX,
  parseSocketAddress,
  formatSocketAddress,
  canonicalHost,
  hostAddressBytes,
  isIPv6Host,
  isValidPort,
} from './socket-address.js';

export { MessageConst, RESERVED_PROPERTY_KEYS } from './message-const.js';
export {
  MessageSysFlag,
  type CompressionType,
  getTransactionValue,
  resetTransactionValue,
  clearCompressedFlag,
  getCompressionType,
  hasSysFlag,
} from './message-sys-flag.js';
export { NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR, propertiesToString, stringToProperties } from './message-properties.js';
export { Message, type MessageOptions, type MessageQueue } from './message.js';
export { MessageExt } from './message-ext.js';

export {
  type MessageRecordFields,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  BLANK_MAGIC_CODE,
  RECORD_TOTAL_SIZE_POSITION,
  RECORD_MAGIC_CODE_POSITION,
  RECORD_BODY_CRC_POSITION,
  RECORD_QUEUE_ID_POSITION,
  RECORD_FLAG_POSITION,
  RECORD_QUEUE_OFFSET_POSITION,
  RECORD_PHYSICAL_OFFSET_POSITION,
  RECORD_SYSFLAG_POSITION,
  RECORD_BORN_TIMESTAMP_POSITION,
  RECORD_BORN_HOST_POSITION,
  RECORD_FIXED_BYTES,
  BLANK_RECORD_BYTES,
  RECORD_V1_TOPIC_BYTES_MAX,
  RECORD_TOPIC_BYTES_MAX,
  RECORD_BYTES_MAX,
  MAX_PROPERTIES_BYTES,
  recordStoreTimestampPosition,
  recordStoreHostPosition,
  recordBodyLengthPosition,
  messageRecordSize,
  encodeMessageRecord,
  encodeMessageRecordInto,
  patchMessageRecord,
} from './message-record.js';
export {
  type DecodeRecordOptions,
  type RecordDecodeResult,
  type DecodedRecords,
  decodeMessageRecord,
  decodeMessageRecords,
} from './message-record-decoder.js';
export { BATCH_RECORD_FIXED_BYTES, type BatchBodyDecodeResult, encodeBatchBody, decodeBatchBody } from './batch-body.js';
export {
  COMPRESS_BODY_OVER_BYTES,
  COMPRESS_LEVEL_DEFAULT,
  DECOMPRESSED_BODY_BYTES_MAX,
  ZLIB_COMPRESSED_SYS_FLAG,
  compressBody,
  decompressBody,
} from './compression.js';
export { crc32Masked, tagsHashCode } from './checksum.js';
export {
  OFFSET_MESSAGE_ID_IPV4_CHARS,
  OFFSET_MESSAGE_ID_IPV6_CHARS,
  type OffsetMessageIdResult,
  createOffsetMessageId,
  decodeOffsetMessageId,
} from './offset-message-id.js';
export {
  UniqueMessageIdGenerator,
  type UniqueMessageIdOptions,
  createUniqueMessageId,
  uniqueMessageIdTimestamp,
  monthStartMs,
} from './unique-message-id.js';

export {
  PermName,
  isReadable,
  isWriteable,
  isInherited,
  isPriority,
  isAccessible,
  isValidPerm,
  perm2String,
} from './perm-name.js';
export {
  TopicValidator,
  TOPIC_NAME_CHARS_MAX,
  RETRY_OR_DLQ_TOPIC_NAME_CHARS_MAX,
  GROUP_NAME_CHARS_MAX,
  SYSTEM_TOPICS,
  NOT_ALLOWED_SEND_TOPICS,
  type NameValidation,
  isSystemTopic,
  isNotAllowedSendTopic,
  isTopicOrGroupIllegal,
  validateTopic,
  validateTopicForSend,
  validateGroup,
} from './topic-validator.js';
export {
  DEFAULT_PRODUCER_GROUP,
  DEFAULT_CONSUMER_GROUP,
  TOOLS_CONSUMER_GROUP,
  SCHEDULE_CONSUMER_GROUP,
  FILTERSRV_CONSUMER_GROUP,
  MONITOR_CONSUMER_GROUP,
  CLIENT_INNER_PRODUCER_GROUP,
  SELF_TEST_PRODUCER_GROUP,
  SELF_TEST_CONSUMER_GROUP,
  CID_SYS_RMQ_TRANS,
  CID_RMQ_SYS_PREFIX,
  RETRY_GROUP_TOPIC_PREFIX,
  DLQ_GROUP_TOPIC_PREFIX,
  LMQ_PREFIX,
  REPLY_TOPIC_POSTFIX,
  UNIQUE_MSG_QUERY_FLAG,
  DEFAULT_TRACE_REGION_ID,
  DEFAULT_CLUSTER_NAME,
  MASTER_ID,
  FIRST_SLAVE_ID,
  IS_SUPPORT_HEART_BEAT_V2,
  IS_SUB_CHANGE,
  ZONE_NAME,
  ZONE_MODE,
  REPLY_MESSAGE_FLAG,
  MAX_MESSAGE_BODY_BYTES,
  DEFAULT_MAX_RECONSUME_TIMES,
  getRetryTopic,
  getDLQTopic,
  getReplyTopic,
  isRetryTopic,
  isDLQTopic,
  isLmqTopic,
  groupOfRetryTopic,
  isSysConsumerGroup,
} from './mix-all.js';
export { DEFAULT_MESSAGE_DELAY_LEVEL, parseDelayLevels } from './delay-level.js';
export { parseJavaProperties } from './java-properties.js';
export { JSON_NESTING_DEPTH_MAX } from './json/json-limits.js';
export { parseLenientJson, type LenientJsonResult, type LenientJsonOptions } from './json/lenient-json.js';
export { toFastjsonString, toFastjsonBuffer, type FastjsonWriteOptions } from './json/fastjson-writer.js';
export { JsonNumberText } from './json/json-number-text.js';
export { type DataVersion, type TopicConfig, dataVersionEquals, nextDataVersion } from './topic-config.js';
