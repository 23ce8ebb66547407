// Broker configuration schema: RocketMQ's BrokerConfig / NettyServerConfig key names and defaults
// (reference rocketmq-store-ha.md §23.3, BrokerConfig.java). Store keys (storePathRootDir,
// flushDiskType, brokerRole, deleteWhen, ...) belong to the store package's schema and are
// parsed by load-broker-config.ts. Apogee-only keys end in their unit. Defaults live only here.

import { hostname } from 'node:os';
import { type ConfigKey, type ConfigOf, DEFAULT_CLUSTER_NAME, DEFAULT_MESSAGE_DELAY_LEVEL, DEFAULT_TRACE_REGION_ID, GiB, TopicValidator } from '@apogee/common';
import { TOPIC_QUEUE_NUMS_MAX } from '../limits.js';

/** RocketMQ names the broker after the host when brokerName is not set. */
const DEFAULT_BROKER_NAME = hostname() || 'DEFAULT_BROKER';

export const BROKER_CONFIG_SCHEMA = [
  // identity and addresses
  { key: 'brokerClusterName', type: 'string', default: DEFAULT_CLUSTER_NAME, doc: 'cluster this broker registers under' },
  { key: 'brokerName', type: 'string', default: DEFAULT_BROKER_NAME, doc: 'master and slaves of one replica set share it (default: host name)' },
  { key: 'brokerId', type: 'int', default: 0, min: 0, doc: '0 = master (forced for ASYNC_MASTER/SYNC_MASTER), >= 1 = slave' },
  { key: 'brokerIP1', type: 'string', default: '127.0.0.1', doc: 'address registered with the NameServers and written as STOREHOST (loopback by default)' },
  { key: 'brokerIP2', type: 'string', default: '127.0.0.1', doc: 'address of the HA port advertised to slaves' },
  { key: 'bindAddress', type: 'string', default: '', doc: 'address the remoting server binds; empty = brokerIP1' },
  { key: 'listenPort', type: 'int', default: 10911, min: 0, max: 65535, doc: 'remoting port (0 = ephemeral, for tests)' },
  { key: 'haListenPort', type: 'int', default: 0, min: 0, max: 65535, doc: 'HA port; 0 = listenPort + 1' },
  { key: 'namesrvAddr', type: 'string', default: '', doc: "NameServers, 'host:port;host:port' (env NAMESRV_ADDR when unset)" },
  { key: 'serverChannelMaxIdleTimeSeconds', type: 'int', default: 120, min: 0, unit: 's', doc: 'idle client connections are closed after this; 0 = never' },
  { key: 'regionId', type: 'string', default: DEFAULT_TRACE_REGION_ID, doc: 'MSG_REGION returned on every send' },
  { key: 'traceOn', type: 'bool', default: true, doc: 'TRACE_ON returned on every send' },

  // topics and groups
  { key: 'brokerPermission', type: 'int', default: 6, min: 0, max: 7, doc: 'PermName bits: 4 read, 2 write; gates every send and pull' },
  { key: 'autoCreateTopicEnable', type: 'bool', default: true, doc: `create ${TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC} so producers can create topics by sending` },
  { key: 'autoCreateSubscriptionGroup', type: 'bool', default: true, doc: 'create subscription groups on first heartbeat/offset use' },
  { key: 'defaultTopicQueueNums', type: 'int', default: 8, min: 1, max: TOPIC_QUEUE_NUMS_MAX, unit: 'count', doc: `queues of ${TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC}` },
  { key: 'clusterTopicEnable', type: 'bool', default: true, doc: 'the topic named after the cluster is readable and writable' },
  { key: 'brokerTopicEnable', type: 'bool', default: true, doc: 'the topic named after the broker is readable and writable' },
  { key: 'traceTopicEnable', type: 'bool', default: false, doc: 'create the message trace topic' },
  { key: 'msgTraceTopicName', type: 'string', default: TopicValidator.RMQ_SYS_TRACE_TOPIC, doc: 'message trace topic' },
  { key: 'notifyConsumerIdsChangedEnable', type: 'bool', default: true, doc: 'send NOTIFY_CONSUMER_IDS_CHANGED when a group changes' },
  { key: 'storeReplyMessageEnable', type: 'bool', default: true, doc: 'store request-reply messages' },

  // consuming
  { key: 'longPollingEnable', type: 'bool', default: true, doc: 'hold pulls that find nothing until a message arrives' },
  { key: 'shortPollingTimeMills', type: 'int', default: 1000, min: 0, unit: 'ms', doc: 'hold time of a pull when long polling is off' },
  { key: 'flushConsumerOffsetInterval', type: 'int', default: 5000, min: 100, unit: 'ms', doc: 'how often consumerOffset.json is written' },
  { key: 'channelExpiredTimeout', type: 'int', default: 120_000, min: 1000, unit: 'ms', doc: 'client channels silent this long are removed' },
  { key: 'clientChannelScanIntervalMs', type: 'int', default: 10_000, min: 100, unit: 'ms', doc: 'how often silent client channels are looked for (Apogee)' },
  { key: 'rebalanceLockMaxLiveTimeMs', type: 'int', default: 60_000, min: 1000, unit: 'ms', doc: 'a queue lock expires this long after its last renewal (Java: rocketmq.broker.rebalance.lockMaxLiveTime)' },
  { key: 'useServerSideResetOffset', type: 'bool', default: true, doc: 'offset resets are applied by the broker on the next pull' },
  { key: 'slaveReadEnable', type: 'bool', default: false, doc: 'suggest reading from a slave when the master reads from disk' },
  { key: 'disableConsumeIfConsumerReadSlowly', type: 'bool', default: false, doc: 'stop a group that falls behind consumerFallbehindThreshold' },
  { key: 'consumerFallbehindThreshold', type: 'int', default: 16 * GiB, min: 0, unit: 'bytes', doc: 'backlog that counts as reading slowly' },
  { key: 'enablePropertyFilter', type: 'bool', default: false, doc: 'accept SQL92 subscriptions' },
  { key: 'filterSupportRetry', type: 'bool', default: false, doc: 'apply SQL92 filters to retry topics too' },
  { key: 'messageDelayLevel', type: 'string', default: DEFAULT_MESSAGE_DELAY_LEVEL, doc: 'delay per level, level 1 first' },

  // NameServer registration
  { key: 'registerNameServerPeriod', type: 'int', default: 30_000, min: 1, unit: 'ms', doc: 'periodic registration; clamped to 10000..60000 as RocketMQ does' },
  { key: 'registerBrokerTimeoutMills', type: 'int', default: 24_000, min: 1, unit: 'ms', doc: 'timeout of one REGISTER_BROKER' },
  { key: 'forceRegister', type: 'bool', default: true, doc: 'register every period even when no topic changed' },

  // transactions
  { key: 'transactionTimeOut', type: 'int', default: 6000, min: 0, unit: 'ms', doc: 'half messages older than this are checked back' },
  { key: 'transactionCheckMax', type: 'int', default: 15, min: 0, unit: 'count', doc: 'check-backs before a half message is discarded' },
  { key: 'transactionCheckInterval', type: 'int', default: 30_000, min: 1, unit: 'ms', doc: 'how often half messages are checked' },
  { key: 'transactionOpMsgMaxSize', type: 'int', default: 4096, min: 1, unit: 'bytes', doc: 'op message batch size' },
  { key: 'transactionOpBatchInterval', type: 'int', default: 3000, min: 1, unit: 'ms', doc: 'op message batch interval' },
  { key: 'rejectTransactionMessage', type: 'bool', default: false, doc: 'refuse transactional (half) messages' },
] as const satisfies readonly ConfigKey[];

export type BrokerConfig = ConfigOf<typeof BROKER_CONFIG_SCHEMA>;

/** Values given in code (tests, the standalone entry): broker or store keys, typed or as text. */
export type BrokerConfigOverrides = Partial<Record<string, string | number | boolean>>;

/**
 * RocketMQ keys an existing broker.conf may carry that have no effect in Apogee (thread pools,
 * Netty tuning, features Apogee does not have). They are reported as ignored, not as unknown.
 */
export const IGNORED_ROCKETMQ_KEYS: ReadonlySet<string> = new Set([
  'rocketmqHome', 'brokerConfigPath', 'isolateLogEnable', 'compressedRegister', 'asyncSendEnable',
  'fetchNamesrvAddrByAddressServer', 'fetchNameSrvAddrByDnsLookup', 'channelNotActiveInterval',
  'sendMessageThreadPoolNums', 'putMessageFutureThreadPoolNums', 'pullMessageThreadPoolNums',
  'litePullMessageThreadPoolNums', 'ackMessageThreadPoolNums', 'processReplyMessageThreadPoolNums',
  'queryMessageThreadPoolNums', 'adminBrokerThreadPoolNums', 'clientManageThreadPoolNums',
  'consumerManageThreadPoolNums', 'loadBalanceProcessorThreadPoolNums', 'heartbeatThreadPoolNums',
  'recoverThreadPoolNums', 'endTransactionThreadPoolNums', 'sendThreadPoolQueueCapacity',
  'putThreadPoolQueueCapacity', 'pullThreadPoolQueueCapacity', 'litePullThreadPoolQueueCapacity',
  'queryThreadPoolQueueCapacity', 'clientManagerThreadPoolQueueCapacity', 'consumerManagerThreadPoolQueueCapacity',
  'heartbeatThreadPoolQueueCapacity', 'endTransactionPoolQueueCapacity', 'adminBrokerThreadPoolQueueCapacity',
  'brokerFastFailureEnable', 'waitTimeMillsInSendQueue', 'waitTimeMillsInPullQueue', 'waitTimeMillsInLitePullQueue',
  'waitTimeMillsInHeartbeatQueue', 'waitTimeMillsInTransactionQueue', 'serverWorkerThreads',
  'serverCallbackExecutorThreads', 'serverSelectorThreads', 'serverOnewaySemaphoreValue',
  'serverAsyncSemaphoreValue', 'serverSocketSndBufSize', 'serverSocketRcvBufSize', 'writeBufferHighWaterMark',
  'writeBufferLowWaterMark', 'serverSocketBacklog', 'serverPooledByteBufAllocatorEnable', 'useEpollNativeSelector',
  'clientWorkerThreads', 'clientCallbackExecutorThreads', 'clientOnewaySemaphoreValue', 'clientAsyncSemaphoreValue',
  'connectTimeoutMillis', 'clientChannelMaxIdleTimeSeconds', 'clientSocketSndBufSize', 'clientSocketRcvBufSize',
  'clientPooledByteBufAllocatorEnable', 'clientCloseSocketIfTimeout', 'useTLS', 'enableDetailStat',
  'accountStatsEnable', 'accountStatsPrintZeroValues', 'transferMsgByHeap', 'highSpeedMode',
  'commercialBaseCount', 'commercialSizePerMsg', 'enableRemotingMetrics', 'enableMessageStoreMetrics',
]);
