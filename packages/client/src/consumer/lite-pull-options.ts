// DefaultLitePullConsumer settings with Java's defaults (DefaultLitePullConsumer).

import { InvalidArgumentError, MiB } from '@apogee/common';
import type { MessageModel } from '@apogee/remoting';
import type { ClientConfigOptions } from '../client-config.js';
import type { ConsumeFromWhere } from './pull-from-where.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';

export interface LitePullConsumerOptions extends ClientConfigOptions {
  /** The consumer group (required). */
  readonly consumerGroup: string;
  /** Default CLUSTERING (offsets in the broker; queues shared out). */
  readonly messageModel?: MessageModel;
  /** Default AllocateMessageQueueAveragely. */
  readonly allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
  /** Where a queue without a stored offset starts. Default CONSUME_FROM_LAST_OFFSET. */
  readonly consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP, `yyyyMMddHHmmss` local time. Default: 30 minutes ago. */
  readonly consumeTimestamp?: string;
  /** Commit what poll() returned every autoCommitIntervalMs (checked on poll). Default true. */
  readonly autoCommit?: boolean;
  /** Default 5_000 ms; at least 1_000. */
  readonly autoCommitIntervalMs?: number;
  /** Messages per pull (pullBatchSize). Default 10. */
  readonly pullBatchSize?: number;
  /** Messages cached for all queues before pulls pause (pullThresholdForAll). Default 10_000. */
  readonly pullThresholdForAll?: number;
  /** Messages cached per queue before its pulls pause. Default 1_000. */
  readonly pullThresholdForQueue?: number;
  /** MiB cached per queue before its pulls pause. Default 100. */
  readonly pullThresholdSizeForQueue?: number;
  /** Offset span of a queue's cache before its pulls pause (consumeMaxSpan). Default 2_000. */
  readonly consumeMaxSpan?: number;
  /** poll() without an argument waits this long, ms. Default 5_000. */
  readonly pollTimeoutMs?: number;
  /** How long a broker may hold a pull with nothing new (brokerSuspendMaxTimeMillis), ms. Default 20_000. */
  readonly brokerSuspendMaxTimeMs?: number;
  /** RPC timeout of a held pull (consumerTimeoutMillisWhenSuspend), ms; above the suspend time. Default 30_000. */
  readonly consumerTimeoutMsWhenSuspend?: number;
  /** Wait after a failed pull (pullTimeDelayMillsWhenException), ms. Default 1_000. */
  readonly pullTimeDelayMsWhenException?: number;
  /** Broadcasting offsets go under this directory. Default `<home>/.rocketmq_offsets`. */
  readonly localOffsetStoreDir?: string;
}

export interface ResolvedLitePullOptions {
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly consumeTimestamp: string | undefined;
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly pullBatchSize: number;
  readonly pullThresholdForAll: number;
  readonly pullThresholdForQueue: number;
  readonly pullThresholdSizeForQueueBytes: number;
  readonly consumeMaxSpan: number;
  readonly pollTimeoutMs: number;
  readonly brokerSuspendMaxTimeMs: number;
  readonly consumerTimeoutMsWhenSuspend: number;
  readonly pullTimeDelayMsWhenException: number;
  readonly localOffsetStoreDir: string | undefined;
}

export const AUTO_COMMIT_INTERVAL_MS_MIN = 1_000;

export function resolveLitePullOptions(o: LitePullConsumerOptions): ResolvedLitePullOptions {
  const brokerSuspendMaxTimeMs = intIn('brokerSuspendMaxTimeMs', o.brokerSuspendMaxTimeMs ?? 20_000, 0, 600_000);
  const consumerTimeoutMsWhenSuspend = intIn('consumerTimeoutMsWhenSuspend', o.consumerTimeoutMsWhenSuspend ?? 30_000, 1, 900_000);
  if (consumerTimeoutMsWhenSuspend <= brokerSuspendMaxTimeMs) {
    throw new InvalidArgumentError('consumerTimeoutMsWhenSuspend', `consumerTimeoutMsWhenSuspend ${consumerTimeoutMsWhenSuspend} must exceed brokerSuspendMaxTimeMs ${brokerSuspendMaxTimeMs}`);
  }
  return {
    messageModel: o.messageModel ?? 'CLUSTERING',
    consumeFromWhere: o.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET',
    consumeTimestamp: o.consumeTimestamp,
    autoCommit: o.autoCommit ?? true,
    autoCommitIntervalMs: intIn('autoCommitIntervalMs', o.autoCommitIntervalMs ?? 5_000, AUTO_COMMIT_INTERVAL_MS_MIN, 86_400_000),
    pullBatchSize: intIn('pullBatchSize', o.pullBatchSize ?? 10, 1, 1024),
    pullThresholdForAll: intIn('pullThresholdForAll', o.pullThresholdForAll ?? 10_000, 1, 1_000_000),
    pullThresholdForQueue: intIn('pullThresholdForQueue', o.pullThresholdForQueue ?? 1_000, 1, 65_535),
    pullThresholdSizeForQueueBytes: intIn('pullThresholdSizeForQueue', o.pullThresholdSizeForQueue ?? 100, 1, 1024) * MiB,
    consumeMaxSpan: intIn('consumeMaxSpan', o.consumeMaxSpan ?? 2_000, 1, 65_535),
    pollTimeoutMs: intIn('pollTimeoutMs', o.pollTimeoutMs ?? 5_000, 0, 3_600_000),
    brokerSuspendMaxTimeMs,
    consumerTimeoutMsWhenSuspend,
    pullTimeDelayMsWhenException: intIn('pullTimeDelayMsWhenException', o.pullTimeDelayMsWhenException ?? 1_000, 0, 600_000),
    localOffsetStoreDir: o.localOffsetStoreDir,
  };
}

export function intIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(name, `${name} ${value} must be an integer in ${min}..${max}`);
  return value;
}

/** Java's default consumeTimestamp: 30 minutes before `nowMs`, as yyyyMMddHHmmss local time. */
export function defaultConsumeTimestamp(nowMs: number): string {
  const d = new Date(nowMs - 30 * 60_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
