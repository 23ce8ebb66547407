import type { MessageStoreConfig } from '../../src/index.js';

// Shared by the crash-test parent and child: SYNC_FLUSH, small segments so that kills land
// around segment and ConsumeQueue file roll-overs, and a small index so that it rolls too.
export const CRASH_CONFIG: Partial<MessageStoreConfig> = {
  flushDiskType: 'SYNC_FLUSH',
  mappedFileSizeCommitLog: 64 * 1024,
  mappedFileSizeConsumeQueue: 50 * 20,
  maxMessageSize: 8 * 1024,
  maxHashSlotNum: 128,
  maxIndexNum: 600,
  flushIntervalConsumeQueue: 20,
  flushConsumeQueueThoroughInterval: 100,
};
export const CRASH_TOPICS = ['crashA', 'crashB', 'crashC'];
export const CRASH_QUEUES = 4;
export const CRASH_CQ_FILE_BYTES = 50 * 20;
