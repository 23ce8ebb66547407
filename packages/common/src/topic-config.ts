// TopicConfig and DataVersion: the same objects appear in topics.json (broker store), in the
// REGISTER_BROKER body and in admin bodies. Field names are the JSON names Java emits.

import type { Clock } from './clock.js';

/** Version stamp of a config table: equal iff all three fields are equal. */
export interface DataVersion {
  counter: number;
  stateVersion: number;
  timestamp: number;
}

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: 'SINGLE_TAG' | 'MULTI_TAG';
  topicSysFlag: number;
  order: boolean;
  attributes: Record<string, string>;
}

export function dataVersionEquals(a: DataVersion | undefined, b: DataVersion | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.counter === b.counter && a.stateVersion === b.stateVersion && a.timestamp === b.timestamp;
}

/** RocketMQ's DataVersion.nextVersion: counter + 1, timestamp now. */
export function nextDataVersion(v: DataVersion, clock: Clock): DataVersion {
  return { counter: v.counter + 1, stateVersion: v.stateVersion, timestamp: clock.nowMs() };
}
