// Every table the broker keeps in memory has a named maximum. RocketMQ's tables are unbounded;
// these bounds are far above what a real deployment holds and exist so that a misbehaving client
// (a heartbeat per random group name, a lock request for a million queues) cannot grow the heap
// without limit. Hitting one refuses the new entry with a logged reason and a response code;
// existing entries keep working.

import { assert } from '@apogee/common';

/** Topic configs on one broker (topics.json). */
export const TOPIC_CONFIGS_MAX = 100_000;
/** Subscription group configs (subscriptionGroup.json). */
export const SUBSCRIPTION_GROUPS_MAX = 100_000;
/** `<topic>@<group>` entries in the consumer offset table. */
export const OFFSET_TABLE_KEYS_MAX = 1_000_000;
/** Queue ids with an offset under one `<topic>@<group>` key. */
export const OFFSET_QUEUES_PER_KEY_MAX = 65_536;
/** Queues a topic may have (read or write); RocketMQ's BenchmarkTest uses 1024. */
export const TOPIC_QUEUE_NUMS_MAX = 65_536;

/** Online consumer groups (groups with at least one live channel). */
export const CONSUMER_GROUPS_MAX = 100_000;
/** Online producer groups. */
export const PRODUCER_GROUPS_MAX = 100_000;
/** Channels (client connections) registered under one group. */
export const CHANNELS_PER_GROUP_MAX = 10_000;
/**
 * Topics one consumer group subscribes to, and consumer/producer groups in one heartbeat: bounds of
 * the HEART_BEAT body, enforced by its decoder in @apogee/remoting.
 */
export { SUBSCRIPTIONS_PER_GROUP_MAX, GROUPS_PER_HEARTBEAT_MAX } from '@apogee/remoting';

/** Locked queues held in one consumer group's lock table. */
export const LOCKED_QUEUES_PER_GROUP_MAX = 100_000;
/** Consumer groups with a lock table. */
export const LOCK_GROUPS_MAX = 100_000;
/** Queues in one LOCK_BATCH_MQ / UNLOCK_BATCH_MQ request. */
export const QUEUES_PER_LOCK_REQUEST_MAX = 10_000;

/** NameServers the broker registers with (entries of namesrvAddr). */
export const NAMESRV_ADDRS_MAX = 64;

assert(OFFSET_QUEUES_PER_KEY_MAX >= TOPIC_QUEUE_NUMS_MAX, 'an offset key must hold every queue of a topic');
assert(QUEUES_PER_LOCK_REQUEST_MAX <= LOCKED_QUEUES_PER_GROUP_MAX, 'one lock request must fit in a group lock table');
