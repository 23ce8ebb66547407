// Public API of @apogee/broker.
export { BrokerController, type BrokerControllerOptions } from './broker-controller.js';
export { createBrokerController } from './create-broker-controller.js';
export { BROKER_CONFIG_SCHEMA, IGNORED_ROCKETMQ_KEYS, type BrokerConfig, type BrokerConfigOverrides } from './config/broker-config.js';
export { type LoadedBrokerConfig, type LoadBrokerConfigOptions, loadBrokerConfig, brokerConfigForTest, brokerConfigToProperties, effectiveHaListenPort } from './config/load-broker-config.js';
export { parseNamesrvAddr, type NamesrvAddrResult } from './config/namesrv-addr.js';
export { configDir, topicConfigPath, subscriptionGroupPath, consumerOffsetPath, delayOffsetPath } from './config/broker-paths.js';
export { TopicConfigManager, type TopicConfigManagerOptions, type TopicChangeKind, type TopicChangeListener } from './topic/topic-config-manager.js';
export { newTopicConfig, topicConfigEquals, TOPIC_QUEUE_NUMS_DEFAULT, TOPIC_PERM_DEFAULT } from './topic/topic-config.js';
export { systemTopicConfigs, SCHEDULE_TOPIC_QUEUE_NUMS, BENCHMARK_TOPIC_QUEUE_NUMS } from './topic/system-topics.js';
export { SubscriptionGroupManager, type SubscriptionGroupManagerOptions } from './subscription/subscription-group-manager.js';
export { type SubscriptionGroupConfig, newSubscriptionGroupConfig, readSubscriptionGroupConfig } from './subscription/subscription-group-config.js';
export { ConsumerOffsetManager, type ConsumerOffsetManagerOptions, TOPIC_GROUP_SEPARATOR } from './offset/consumer-offset-manager.js';
export { type ClientChannelInfo, type ConnectionInfo, connectionOf } from './client/client-channel-info.js';
export { ConsumerGroupInfo } from './client/consumer-group-info.js';
export { ConsumerManager, type ConsumerManagerOptions, type ConsumerGroupEvent, type ConsumerGroupListener, type RegisterConsumerRequest } from './client/consumer-manager.js';
export { ProducerManager, type ProducerManagerOptions } from './client/producer-manager.js';
export { RebalanceLockManager, type RebalanceLockManagerOptions } from './client/rebalance-lock-manager.js';
export { ClientHousekeeping } from './client/client-housekeeping.js';
export { Broker2Client, type ClientRequestSender, ONEWAY_TO_CLIENT_TIMEOUT_MS } from './client/broker-to-client.js';
// The HEART_BEAT / SubscriptionData wire bodies live in @apogee/remoting; re-exported under their old names here.
export { type HeartbeatData, type ConsumerData, type ProducerData, type ConsumeType, type MessageModel, type ConsumeFromWhere, CONSUME_TYPES, MESSAGE_MODELS, CONSUME_FROM_WHERES, decodeHeartbeatData } from '@apogee/remoting';
export { type SubscriptionData, SUB_ALL, EXPRESSION_TYPE_TAG, EXPRESSION_TYPE_SQL92, readSubscriptionData, subscriptionDataJson } from '@apogee/remoting';
export { isTagType, buildSubscriptionData } from './client/subscription-data.js';
export { BrokerOuterAPI, type BrokerIdentity, type TopicConfigSnapshot, type RegisterOutcome, type UnregisterOutcome } from './out/broker-outer-api.js';
export { NamesrvRegistration, type NamesrvRegistrationOptions, type MasterAddress, clampRegisterPeriodMs, REGISTER_PERIOD_MS_MIN, REGISTER_PERIOD_MS_MAX, REGISTER_INITIAL_DELAY_MS } from './out/namesrv-registration.js';
export { ClientManageProcessor, type ClientManageDeps } from './processor/client-manage-processor.js';
export { ConsumerManageProcessor, type ConsumerManageDeps } from './processor/consumer-manage-processor.js';
export { LockProcessor } from './processor/lock-processor.js';
export { type QueueOffsetReader, type BrokerMessageStore, type MessageStoreFactory, type MessageStoreFactoryContext, createDefaultMessageStore } from './store/broker-store.js';
export { DataVersionCounter } from './persist/data-version.js';
export {
  TOPIC_CONFIGS_MAX, SUBSCRIPTION_GROUPS_MAX, OFFSET_TABLE_KEYS_MAX, OFFSET_QUEUES_PER_KEY_MAX, TOPIC_QUEUE_NUMS_MAX,
  CONSUMER_GROUPS_MAX, PRODUCER_GROUPS_MAX, CHANNELS_PER_GROUP_MAX, SUBSCRIPTIONS_PER_GROUP_MAX, GROUPS_PER_HEARTBEAT_MAX,
  LOCKED_QUEUES_PER_GROUP_MAX, LOCK_GROUPS_MAX, QUEUES_PER_LOCK_REQUEST_MAX, NAMESRV_ADDRS_MAX,
} from './limits.js';
export { type Lifecycle, type MessageDataStore, type MessageProcessorHost, MessageDataPath, registerMessageProcessors } from './processor/message-processors.js';
export { type TransactionalMessageService } from './send/transaction-hook.js';
