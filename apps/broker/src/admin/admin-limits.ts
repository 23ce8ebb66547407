// Bounds of what the admin side keeps or sends, next to each other so their relations are
// checked once. RocketMQ's BrokerStatsManager grows one StatsItem per key without limit; here a
// stats table stops tracking new keys at STATS_ITEMS_PER_TABLE_MAX (existing keys keep counting).

import { assert } from '@apogee/common';

/** Keys (topics, topic@group pairs) one stats table tracks. */
export const STATS_ITEMS_PER_TABLE_MAX = 20_000;
/** How often the stats are sampled (RocketMQ's StatsItem samples its minute list every 10 s). */
export const STATS_SAMPLE_INTERVAL_MS = 10_000;
/** Samples of the minute view: 7 × 10 s = the last minute, as RocketMQ keeps. */
export const STATS_MINUTE_SAMPLES = 7;
/** Samples of the hour view, one per 10 minutes. */
export const STATS_HOUR_SAMPLES = 7;
export const STATS_HOUR_SAMPLE_EVERY_MS = 10 * 60_000;
/** Samples of the day view, one per hour. */
export const STATS_DAY_SAMPLES = 25;
export const STATS_DAY_SAMPLE_EVERY_MS = 60 * 60_000;
/** Samples of the broker-wide rate ring: 61 × 10 s covers putTps' 600 s window. */
export const BROKER_RATE_SAMPLES = 61;

/** Time a relayed call to a consumer client may take (RocketMQ's callClient uses 10 s). */
export const CLIENT_CALL_TIMEOUT_MS = 10_000;
/** Time to hand RESET_CONSUMER_CLIENT_OFFSET to one client's socket (RocketMQ uses 5 s). */
export const CLIENT_RESET_OFFSET_TIMEOUT_MS = 5_000;
/** Time GET_CONSUMER_STATUS_FROM_CLIENT may take per client (RocketMQ uses 5 s). */
export const CLIENT_STATUS_TIMEOUT_MS = 5_000;
/** Clients one INVOKE_BROKER_TO_GET_CONSUMER_STATUS asks (the group's channels are bounded anyway). */
export const CONSUMER_STATUS_CLIENTS_MAX = 1_000;
/** Bytes of an UPDATE_BROKER_CONFIG body. */
export const BROKER_CONFIG_BODY_BYTES_MAX = 64 * 1024;

assert(STATS_MINUTE_SAMPLES <= BROKER_RATE_SAMPLES, 'the broker rate ring must cover the minute view');
assert((BROKER_RATE_SAMPLES - 1) * STATS_SAMPLE_INTERVAL_MS >= 600_000, 'the broker rate ring must cover 600 s');
assert(STATS_HOUR_SAMPLE_EVERY_MS % STATS_SAMPLE_INTERVAL_MS === 0 && STATS_DAY_SAMPLE_EVERY_MS % STATS_HOUR_SAMPLE_EVERY_MS === 0, 'sample periods nest');
