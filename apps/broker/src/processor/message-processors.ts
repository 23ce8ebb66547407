// The broker's message data path, registered on a controller in one call:
//   SEND_MESSAGE 10, SEND_MESSAGE_V2 310, SEND_BATCH_MESSAGE 320   SendMessageProcessor
//   PULL_MESSAGE 11, LITE_PULL_MESSAGE 361                        PullMessageProcessor (+ long polling)
//   QUERY_MESSAGE 12, VIEW_MESSAGE_BY_ID 33                       QueryMessageProcessor
//   GET_MAX_OFFSET 30, GET_MIN_OFFSET 31,
//   SEARCH_OFFSET_BY_TIMESTAMP 29, GET_EARLIEST_MSG_STORETIME 32   QueueOffsetProcessor
//   CONSUMER_SEND_MSG_BACK 36                                     SendBackProcessor
// plus delay levels: the store put hook that moves DELAY messages to SCHEDULE_TOPIC_XXXX, the
// tags-code hook that stores their delivery time, and the ScheduleMessageService.
//
// Call it before the controller starts (the store hooks must be in place before the store
// recovers and dispatches). The services start after the controller started (delay offsets are
// clamped against the running store) and shut down before it stops (held pulls are answered
// while the server still writes, delay offsets are written while the store still reads).
// Both go through the host's addLifecycle().

import type { Clock, Logger } from '@apogee/common';
import { type RequestProcessor, RequestCode } from '@apogee/remoting';
import type { MessageStoreConfig, PutMessageHook, TagsCodeHook } from '@apogee/store';
import type { PullConsumerGroups } from '../pull/pull-subscription.js';
import type { MessageReader } from '../pull/message-reader.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { delayOffsetPath } from '../config/broker-paths.js';
import type { BrokerMessageStore } from '../store/broker-store.js';
import { StoreHostCache } from '../send/host-addresses.js';
import type { MessageLookup, MessageWriter } from '../send/message-writer.js';
import type { OrderlyLocks } from '../send/retry-dlq-redirect.js';
import type { SendTopicConfigs } from '../send/send-message-check.js';
import type { TransactionalMessageService } from '../send/transaction-hook.js';
import { DelayLevelTable } from '../schedule/delay-level-table.js';
import { DelayOffsetTable } from '../schedule/delay-offset-table.js';
import { ScheduleMessagePutHook, scheduleTagsCodeHook } from '../schedule/schedule-message-hook.js';
import { ScheduleMessageService } from '../schedule/schedule-message-service.js';
import { type PullGroupConfig, PullMessageProcessor } from './pull-message-processor.js';
import { type MessageQueryStore, QueryMessageProcessor } from './query-message-processor.js';
import { type QueueOffsetStore, QueueOffsetProcessor } from './queue-offset-processor.js';
import { SendBackProcessor } from './send-back-processor.js';
import { SendMessageProcessor } from './send-message-processor.js';

/** Everything the data path needs of the store. */
export type MessageDataStore = BrokerMessageStore & MessageWriter & MessageLookup & MessageReader & MessageQueryStore & QueueOffsetStore & {
  addPutMessageHook(hook: PutMessageHook): void;
  setTagsCodeHook(hook: TagsCodeHook | undefined): void;
};

export interface Lifecycle {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What the data path needs of the broker (BrokerController satisfies it). */
export interface MessageProcessorHost extends Lifecycle {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly messageStore: BrokerMessageStore;
  readonly topicConfigManager: SendTopicConfigs;
  readonly subscriptionGroupManager: { findSubscriptionGroupConfig(group: string): (PullGroupConfig & { retryQueueNums: number; retryMaxTimes: number }) | undefined };
  readonly consumerOffsetManager: {
    commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): boolean;
    queryThenEraseResetOffset(topic: string, group: string, queueId: number): number | undefined;
    commitPullOffset(group: string, topic: string, queueId: number, offset: number): void;
  };
  readonly consumerManager: PullConsumerGroups;
  readonly rebalanceLockManager: OrderlyLocks;
  readonly clock: Clock;
  readonly log: Logger;
  /** brokerIP1:listenPort, the STOREHOST of written messages */
  readonly brokerAddr: string;
  registerProcessor(code: number, processor: RequestProcessor): void;
  /** Service hook: started after the host started, shut down before it stops serving. */
  addLifecycle(service: Lifecycle): void;
}

/** The processors and services of the data path, as registered on one host. */
export class MessageDataPath implements Lifecycle {
  readonly send: SendMessageProcessor;
  readonly pull: PullMessageProcessor;
  readonly query: QueryMessageProcessor;
  readonly queueOffsets: QueueOffsetProcessor;
  readonly sendBack: SendBackProcessor;
  readonly schedule: ScheduleMessageService;
  private transactionService: TransactionalMessageService | undefined;
  private unsubscribeArrivals: (() => void) | undefined;
  private shutdownPromise: Promise<void> | undefined;

  constructor(host: MessageProcessorHost, store: MessageDataStore) {
    const log = host.log.child({ part: 'message' });
    const isSlave = (): boolean => host.messageStoreConfig.brokerRole === 'SLAVE';
    const storeHost = new StoreHostCache(() => host.brokerAddr);
    const levels = new DelayLevelTable(host.brokerConfig.messageDelayLevel);
    store.addPutMessageHook(new ScheduleMessagePutHook(levels));
    store.setTagsCodeHook(scheduleTagsCodeHook(levels));

    this.send = new SendMessageProcessor({
      settings: () => host.brokerConfig, maxMessageSize: host.messageStoreConfig.maxMessageSize, isSlave, topics: host.topicConfigManager,
      groups: host.subscriptionGroupManager, locks: host.rebalanceLockManager, store, storeHost, transactions: () => this.transactionService, log,
    });
    this.pull = new PullMessageProcessor({
      settings: () => host.brokerConfig, isSlave, groups: host.subscriptionGroupManager, topics: host.topicConfigManager,
      consumers: host.consumerManager, offsets: host.consumerOffsetManager, reader: store, clock: host.clock, log,
    });
    this.query = new QueryMessageProcessor({ store, defaultQueryMaxNum: host.messageStoreConfig.defaultQueryMaxNum });
    this.queueOffsets = new QueueOffsetProcessor(store);
    this.sendBack = new SendBackProcessor({
      settings: () => host.brokerConfig, groups: host.subscriptionGroupManager, topics: host.topicConfigManager, store, storeHost, log,
    });
    this.schedule = new ScheduleMessageService({
      levels, offsets: new DelayOffsetTable(delayOffsetPath(host.messageStoreConfig.storePathRootDir), host.clock, log),
      reader: store, writer: store, isMaster: () => !isSlave(), clock: host.clock, log: log.child({ part: 'schedule' }),
    });
    this.unsubscribeArrivals = store.addMessageArrivingListener((arrival) => this.pull.holdService.onMessageArriving(arrival));
  }

  /** Installs the half-message service (transactions); until then TRAN_MSG sends get 16. */
  setTransactionalMessageService(service: TransactionalMessageService | undefined): void {
    this.transactionService = service;
  }

  start(): Promise<void> {
    return this.schedule.start();
  }

  /** Answers held pulls, stops delayed delivery and writes its offsets. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.unsubscribeArrivals?.();
      this.unsubscribeArrivals = undefined;
      await Promise.all([this.pull.shutdown(), this.schedule.shutdown()]);
    })();
    return this.shutdownPromise;
  }
}

const registered = new WeakMap<object, MessageDataPath>();

/**
 * Registers the data path's processors on `host` and ties its services to the host's lifecycle.
 * Idempotent per host. Undefined (and nothing registered) when the host's store is not a full
 * message store (a test double of the core).
 */
export function registerMessageProcessors(host: MessageProcessorHost): MessageDataPath | undefined {
  const existing = registered.get(host);
  if (existing !== undefined) return existing;
  const store = host.messageStore;
  if (!isMessageDataStore(store)) {
    host.log.warn('the message store has no data path (put/get/query); message processors not registered');
    return undefined;
  }
  const path = new MessageDataPath(host, store);
  registered.set(host, path);
  const table: ReadonlyArray<readonly [RequestProcessor, readonly number[]]> = [
    [path.send, [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE]],
    [path.pull, [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE]],
    [path.query, [RequestCode.QUERY_MESSAGE, RequestCode.VIEW_MESSAGE_BY_ID]],
    [path.queueOffsets, [RequestCode.GET_MAX_OFFSET, RequestCode.GET_MIN_OFFSET, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, RequestCode.GET_EARLIEST_MSG_STORETIME]],
    [path.sendBack, [RequestCode.CONSUMER_SEND_MSG_BACK]],
  ];
  for (const [processor, codes] of table) for (const code of codes) host.registerProcessor(code, processor);
  host.addLifecycle(path);
  return path;
}

const DATA_PATH_METHODS = [
  'putMessage', 'putMessages', 'lookMessageByOffset', 'getMessage', 'addMessageArrivingListener', 'queryMessage', 'selectOneMessageByOffset',
  'getOffsetInQueueByTime', 'getEarliestMessageTime', 'addPutMessageHook', 'setTagsCodeHook',
] as const;

function isMessageDataStore(store: BrokerMessageStore): store is MessageDataStore {
  const candidate = store as unknown as Record<string, unknown>;
  return DATA_PATH_METHODS.every((name) => typeof candidate[name] === 'function');
}
