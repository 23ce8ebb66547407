// DefaultMQProducer settings, with Java's defaults (DefaultMQProducer, reference §6.3).

import { COMPRESS_BODY_OVER_BYTES, COMPRESS_LEVEL_DEFAULT, InvalidArgumentError, MAX_MESSAGE_BODY_BYTES, TopicValidator } from '@apogee/common';
import type { ClientConfigOptions } from '../client-config.js';

export interface ProducerOptions extends ClientConfigOptions {
  /** The producer group (required; not DEFAULT_PRODUCER). */
  readonly producerGroup: string;
  /** Template topic for auto-created topics (createTopicKey). Default 'TBW102'. */
  readonly createTopicKey?: string;
  /** Queues per broker an auto-created topic gets (defaultTopicQueueNums). Default 4. */
  readonly defaultTopicQueueNums?: number;
  /** Time for a whole send, every retry included (sendMsgTimeout), ms. Default 3_000. */
  readonly sendMsgTimeoutMs?: number;
  /** Bodies of at least this many bytes are zlib-compressed (compressMsgBodyOverHowmuch). Default 4_096. */
  readonly compressMsgBodyOverHowmuch?: number;
  /** zlib level 0..9 (rocketmq.message.compressLevel). Default 5. */
  readonly compressLevel?: number;
  /** Extra attempts of a sync send, each preferring another broker (retryTimesWhenSendFailed). Default 2. */
  readonly retryTimesWhenSendFailed?: number;
  /** Extra attempts of a callback send (retryTimesWhenSendAsyncFailed). Default 2. */
  readonly retryTimesWhenSendAsyncFailed?: number;
  /** Retry when a send is stored but not SEND_OK (retryAnotherBrokerWhenNotStoreOK). Default false. */
  readonly retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** Largest body (batch: encoded batch) in bytes (maxMessageSize). Default 4 MiB. */
  readonly maxMessageSize?: number;
  /** Skip brokers that were slow or failing for a while (sendLatencyFaultEnable). Default false. */
  readonly sendLatencyFaultEnable?: boolean;
  /** Callback sends in flight at most; more wait (backpressure). Default 10_000. */
  readonly asyncSendsInFlightMax?: number;
}

export interface ResolvedProducerOptions {
  readonly createTopicKey: string;
  readonly defaultTopicQueueNums: number;
  readonly sendMsgTimeoutMs: number;
  readonly compressMsgBodyOverHowmuch: number;
  readonly compressLevel: number;
  readonly retryTimesWhenSendFailed: number;
  readonly retryTimesWhenSendAsyncFailed: number;
  readonly retryAnotherBrokerWhenNotStoreOK: boolean;
  readonly maxMessageSize: number;
  readonly sendLatencyFaultEnable: boolean;
  readonly asyncSendsInFlightMax: number;
}

export const SEND_MSG_TIMEOUT_MS_DEFAULT = 3_000;
export const DEFAULT_TOPIC_QUEUE_NUMS_DEFAULT = 4;
export const RETRY_TIMES_WHEN_SEND_FAILED_DEFAULT = 2;
/** Retries beyond this are a configuration mistake (each is a full send). */
export const RETRY_TIMES_MAX = 16;
export const ASYNC_SENDS_IN_FLIGHT_MAX_DEFAULT = 10_000;

export function resolveProducerOptions(o: ProducerOptions): ResolvedProducerOptions {
  return {
    createTopicKey: o.createTopicKey ?? TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
    defaultTopicQueueNums: intIn('defaultTopicQueueNums', o.defaultTopicQueueNums ?? DEFAULT_TOPIC_QUEUE_NUMS_DEFAULT, 1, 1024),
    sendMsgTimeoutMs: intIn('sendMsgTimeoutMs', o.sendMsgTimeoutMs ?? SEND_MSG_TIMEOUT_MS_DEFAULT, 1, 3_600_000),
    compressMsgBodyOverHowmuch: intIn('compressMsgBodyOverHowmuch', o.compressMsgBodyOverHowmuch ?? COMPRESS_BODY_OVER_BYTES, 0, 2 ** 31 - 1),
    compressLevel: intIn('compressLevel', o.compressLevel ?? COMPRESS_LEVEL_DEFAULT, 0, 9),
    retryTimesWhenSendFailed: intIn('retryTimesWhenSendFailed', o.retryTimesWhenSendFailed ?? RETRY_TIMES_WHEN_SEND_FAILED_DEFAULT, 0, RETRY_TIMES_MAX),
    retryTimesWhenSendAsyncFailed: intIn('retryTimesWhenSendAsyncFailed', o.retryTimesWhenSendAsyncFailed ?? RETRY_TIMES_WHEN_SEND_FAILED_DEFAULT, 0, RETRY_TIMES_MAX),
    retryAnotherBrokerWhenNotStoreOK: o.retryAnotherBrokerWhenNotStoreOK ?? false,
    maxMessageSize: intIn('maxMessageSize', o.maxMessageSize ?? MAX_MESSAGE_BODY_BYTES, 1, 2 ** 31 - 1),
    sendLatencyFaultEnable: o.sendLatencyFaultEnable ?? false,
    asyncSendsInFlightMax: intIn('asyncSendsInFlightMax', o.asyncSendsInFlightMax ?? ASYNC_SENDS_IN_FLIGHT_MAX_DEFAULT, 1, 1_000_000),
  };
}

function intIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(name, `${name} ${value} must be an integer in ${min}..${max}`);
  return value;
}
