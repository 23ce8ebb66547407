// @apogee/store: the local storage engine (CommitLog, ConsumeQueue, IndexFile, dispatch, flush,
// checkpoint, recovery, retention) and config-file persistence. No network.

export { MessageStore, QUERY_MESSAGE_RESULTS_MAX } from './store/message-store.js';
export type { MessageStoreOptions, MessageArrivingListener, QueryMessageResult } from './store/message-store.js';
export type { MessageInner, AppendMessageResult, PutMessageResult, PutMessageHook, PutReplicationWaiter } from './store/message-inner.js';
export { PutMessageStatus, GetMessageStatus, RunningFlag, RunningFlags, isPutStored } from './store/statuses.js';
export type { GetMessageResult } from './store/get-message.js';
export { tagMessageFilter, SUBSCRIPTION_TAGS_MAX } from './store/message-filter.js';
export type { MessageFilter } from './store/message-filter.js';
export type { BoundaryType } from './store/queue-time-search.js';
export type { QueueArrival } from './dispatch/build-consume-queue.js';
export type { DispatchRequest, CommitLogDispatcher, TagsCodeHook } from './dispatch/dispatch-request.js';
export type { CleanRunResult } from './retention/clean-service.js';
export { diskUsedRatio } from './retention/clean-service.js';
export {
  MESSAGE_STORE_CONFIG_SCHEMA,
  createMessageStoreConfig,
  messageStoreConfigForTest,
  parseDeleteWhen,
} from './config/message-store-config.js';
export type { MessageStoreConfig, FlushDiskType, BrokerRole } from './config/message-store-config.js';
export type { StoreLogger } from './util/store-logger.js';
export { StoreLoadError, StoreLockedError, StoreNotRunningError } from './util/errors.js';
export { CQ_UNIT_BYTES } from './consumequeue/consume-queue.js';
export { INDEX_HEADER_BYTES, INDEX_SLOT_BYTES, INDEX_ENTRY_BYTES, indexFileBytes, indexKeyHash } from './index/index-file.js';
export { ConfigFile } from './config/config-file.js';
export type { ConfigCodec } from './config/config-file.js';
export { toFastjsonPretty } from './config/fastjson.js';
export type { FastjsonValue } from './config/fastjson.js';
export {
  CONFIG_FILE_NAMES,
  topicConfigCodec,
  consumerOffsetCodec,
  subscriptionGroupCodec,
  delayOffsetCodec,
  openBrokerConfigFiles,
  defaultTopicConfig,
  defaultSubscriptionGroupConfig,
  nextDataVersion,
} from './config/rocketmq-config-files.js';
export type {
  DataVersion,
  TopicConfig,
  TopicConfigTable,
  ConsumerOffsetTable,
  SubscriptionGroupConfig,
  SubscriptionGroupTable,
  DelayOffsetTable,
} from './config/rocketmq-config-files.js';
