// The narrow view of @apogee/store the broker core uses. Processors get the slice they need
// (QueueOffsetReader for QUERY_CONSUMER_OFFSET), never the whole store, so tests can build them
// from small real pieces. The controller creates the store through a factory; the default
// factory is the real MessageStore.

import type { Clock, Logger } from '@apogee/common';
import { MessageStore, type MessageStoreConfig } from '@apogee/store';

/** Queue bounds: min = first offset still stored, max = next offset to be written (0 when empty). */
export interface QueueOffsetReader {
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
}

/** What the controller needs to run a store: its lifecycle plus the reader above. */
export interface BrokerMessageStore extends QueueOffsetReader {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface MessageStoreFactoryContext {
  readonly clock: Clock;
  readonly log: Logger;
}

export type MessageStoreFactory<S extends BrokerMessageStore = BrokerMessageStore> = (config: MessageStoreConfig, context: MessageStoreFactoryContext) => S;

/** The real store. */
export const createDefaultMessageStore: MessageStoreFactory<MessageStore> = (config, context) =>
  new MessageStore(config, { clock: context.clock, logger: context.log });
