// Public API of @apogee/client, the Java-like SDK. Re-exports by name.
export { type ClientConfigOptions, type ResolvedClientConfig, DEFAULT_INSTANCE_NAME, POLL_NAME_SERVER_INTERVAL_MS_DEFAULT, HEARTBEAT_BROKER_INTERVAL_MS_DEFAULT, PERSIST_CONSUMER_OFFSET_INTERVAL_MS_DEFAULT, MQ_CLIENT_API_TIMEOUT_MS_DEFAULT, resolveClientConfig, buildClientId, parseNamesrvAddr } from './client-config.js';
export { ClientErrorCode, MQBrokerError, MQClientError, MalformedResponseError, type RetryClass, errorFromResponse, retryClassOf, SEND_STORED_CODES } from './errors.js';
export { type RetryOptions, type RetryAttempt, RetryDeadlineError, retry, sleepMs } from './retry.js';
export { wrapNamespace, withoutNamespace, NAMESPACE_SEPARATOR } from './namespace.js';
export { mqKey, compareMessageQueue, sameMessageQueue, copyMessageQueue, messageQueueToString } from './message-queue.js';
export { MQClientInstance, getOrCreateMQClientInstance, type DefaultRouteOptions, type FindBrokerResult, REBALANCE_INTERVAL_MS } from './factory/mq-client-instance.js';
export { type ProducerMember, type ConsumerMember } from './factory/client-members.js';
export { type HeartbeatData, type ConsumerData, type ConsumeType, type MessageModel, type ConsumeFromWhere, encodeHeartbeatData } from './factory/heartbeat-data.js';
export { publishQueuesOf, subscribeQueuesOf, limitQueueNums, topicRouteEquals } from './factory/topic-route.js';
export { type SubscriptionData, type ExpressionType, SUB_ALL, EXPRESSION_TYPE_TAG, EXPRESSION_TYPE_SQL92, buildSubscriptionData, matchesSubscription } from './consumer/subscription-data.js';
export { TopicPublishInfo, type QueueFilter } from './producer/topic-publish-info.js';
export { MQFaultStrategy, LATENCY_MAX_MS, NOT_AVAILABLE_DURATION_MS, computeNotAvailableDuration } from './producer/mq-fault-strategy.js';
export { type TopicOffset, type TopicStatsTable, type OffsetWrapper, type ConsumeStats, type Connection, type ConsumerConnection, type ProducerConnection } from './api/admin-bodies.js';
export { DefaultMQProducer, type SendOptions, type SendCallback, PUBLISH_TOPICS_MAX } from './producer/default-mq-producer.js';
export { type ProducerOptions, type ResolvedProducerOptions, resolveProducerOptions, SEND_MSG_TIMEOUT_MS_DEFAULT, DEFAULT_TOPIC_QUEUE_NUMS_DEFAULT, RETRY_TIMES_WHEN_SEND_FAILED_DEFAULT, RETRY_TIMES_MAX, ASYNC_SENDS_IN_FLIGHT_MAX_DEFAULT } from './producer/producer-options.js';
export { type SendResult, type SendStatus, processSendResponse } from './producer/send-result.js';
export { checkMessage, ensureUniqKey, BATCH_MESSAGES_MAX } from './producer/send-request.js';
export { type MessageQueueSelector, SelectMessageQueueByHash, SelectMessageQueueByRandom, javaHashCode } from './producer/message-queue-selector.js';
