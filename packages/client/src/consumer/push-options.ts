// DefaultMQPushConsumer settings with Java's defaults (DefaultMQPushConsumer, reference §6.3, §7.2).

import { DEFAULT_MAX_RECONSUME_TIMES, InvalidArgumentError, KiB, MiB } from '@apogee/common';
import type { MessageModel } from '@apogee/remoting';
import type { ClientConfigOptions } from '../client-config.js';
import type { ConsumeFromWhere } from './pull-from-where.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';
import { intIn } from './lite-pull-options.js';

export interface PushConsumerOptions extends ClientConfigOptions {
  /** The consumer group (required). */
  readonly consumerGroup: string;
  /** Default CLUSTERING. */
  readonly messageModel?: MessageModel;
  /** Default CONSUME_FROM_LAST_OFFSET. */
  readonly consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP, `yyyyMMddHHmmss` local time. Default: 30 minutes ago. */
  readonly consumeTimestamp?: string;
  /** Default AllocateMessageQueueAveragely. */
  readonly allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
  /** Listener calls running at once (Java's consumeThreadMax). Default 20. */
  readonly consumeConcurrencyMax?: number;
  /** Messages per listener call (consumeMessageBatchMaxSize). Default 1. */
  readonly consumeMessageBatchMaxSize?: number;
  /** Messages per pull (pullBatchSize). Default 32. */
  readonly pullBatchSize?: number;
  /** Bytes per pull (pullBatchSizeInBytes). Default 256 KiB. */
  readonly pullBatchSizeInBytes?: number;
  /** Cached messages per queue before its pulls pause (pullThresholdForQueue). Default 1_000. */
  readonly pullThresholdForQueue?: number;
  /** Cached MiB per queue before its pulls pause (pullThresholdSizeForQueue). Default 100. */
  readonly pullThresholdSizeForQueue?: number;
  /** Offset span of a queue's cache before its pulls pause (consumeConcurrentlyMaxSpan). Default 2_000. */
  readonly consumeConcurrentlyMaxSpan?: number;
  /** Wait between pulls of a queue (pullInterval), ms. Default 0. */
  readonly pullIntervalMs?: number;
  /** Retries before the DLQ; -1 = 16 (concurrently) or unlimited local retries (orderly). Default -1. */
  readonly maxReconsumeTimes?: number;
  /** Orderly: wait before a suspended queue is consumed again, ms. Default 1_000. */
  readonly suspendCurrentQueueTimeMillis?: number;
  /** How long a broker may hold a pull (brokerSuspendMaxTimeMillis), ms. Default 15_000. */
  readonly brokerSuspendMaxTimeMs?: number;
  /** RPC timeout of a held pull (consumerTimeoutMillisWhenSuspend), ms. Default 30_000. */
  readonly consumerTimeoutMsWhenSuspend?: number;
  /** Wait after a failed pull (pullTimeDelayMillsWhenException), ms. Default 3_000. */
  readonly pullTimeDelayMsWhenException?: number;
  /** Broadcasting offsets go under this directory. Default `<home>/.rocketmq_offsets`. */
  readonly localOffsetStoreDir?: string;
  /**
   * Concurrently: a message whose listener call has run this long is sent back for a retry
   * (delay level 3) and no longer holds the queue's offset; checked every consumeTimeout
   * (Java's cleanExpireMsg). Minutes, fractions allowed, 0.001..1440. Default 15.
   */
  readonly consumeTimeout?: number;
}

export interface ResolvedPushOptions {
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly consumeTimestamp: string | undefined;
  readonly consumeConcurrencyMax: number;
  readonly consumeMessageBatchMaxSize: number;
  readonly pullBatchSize: number;
  readonly pullBatchSizeInBytes: number;
  readonly pullThresholdForQueue: number;
  readonly pullThresholdSizeForQueueBytes: number;
  readonly consumeConcurrentlyMaxSpan: number;
  readonly pullIntervalMs: number;
  readonly maxReconsumeTimes: number;
  readonly suspendCurrentQueueTimeMillis: number;
  readonly brokerSuspendMaxTimeMs: number;
  readonly consumerTimeoutMsWhenSuspend: number;
  readonly pullTimeDelayMsWhenException: number;
  readonly localOffsetStoreDir: string | undefined;
  readonly consumeTimeoutMs: number;
}

export function resolvePushOptions(o: PushConsumerOptions): ResolvedPushOptions {
  return {
    messageModel: o.messageModel ?? 'CLUSTERING',
    consumeFromWhere: o.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
    consumeTimestamp: o.consumeTimestamp,
    consumeConcurrencyMax: intIn('consumeConcurrencyMax', o.consumeConcurrencyMax ?? 20, 1, 1000),
    consumeMessageBatchMaxSize: intIn('consumeMessageBatchMaxSize', o.consumeMessageBatchMaxSize ?? 1, 1, 1024),
    pullBatchSize: intIn('pullBatchSize', o.pullBatchSize ?? 32, 1, 1024),
    pullBatchSizeInBytes: intIn('pullBatchSizeInBytes', o.pullBatchSizeInBytes ?? 256 * KiB, 1, 16 * MiB),
    pullThresholdForQueue: intIn('pullThresholdForQueue', o.pullThresholdForQueue ?? 1_000, 1, 65_535),
    pullThresholdSizeForQueueBytes: intIn('pullThresholdSizeForQueue', o.pullThresholdSizeForQueue ?? 100, 1, 1024) * MiB,
    consumeConcurrentlyMaxSpan: intIn('consumeConcurrentlyMaxSpan', o.consumeConcurrentlyMaxSpan ?? 2_000, 1, 65_535),
    pullIntervalMs: intIn('pullIntervalMs', o.pullIntervalMs ?? 0, 0, 65_535),
    maxReconsumeTimes: intIn('maxReconsumeTimes', o.maxReconsumeTimes ?? -1, -1, 10_000),
    suspendCurrentQueueTimeMillis: intIn('suspendCurrentQueueTimeMillis', o.suspendCurrentQueueTimeMillis ?? 1_000, 10, 30_000),
    brokerSuspendMaxTimeMs: intIn('brokerSuspendMaxTimeMs', o.brokerSuspendMaxTimeMs ?? 15_000, 0, 600_000),
    consumerTimeoutMsWhenSuspend: intIn('consumerTimeoutMsWhenSuspend', o.consumerTimeoutMsWhenSuspend ?? 30_000, 1, 900_000),
    pullTimeDelayMsWhenException: intIn('pullTimeDelayMsWhenException', o.pullTimeDelayMsWhenException ?? 3_000, 0, 600_000),
    localOffsetStoreDir: o.localOffsetStoreDir,
    consumeTimeoutMs: Math.round(numberIn('consumeTimeout', o.consumeTimeout ?? 15, 0.001, 1_440) * 60_000),
  };
}

function numberIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new InvalidArgumentError(name, `${name} ${value} not in ${min}..${max}`);
  return value;
}

/** Concurrently: -1 means 16; orderly: -1 means "retry locally forever" (Integer.MAX_VALUE). */
export function effectiveMaxReconsumeTimes(configured: number, isOrderly: boolean): number {
  if (configured !== -1) return configured;
  return isOrderly ? 0x7fff_ffff : DEFAULT_MAX_RECONSUME_TIMES;
}
