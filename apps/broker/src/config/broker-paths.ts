// Where the broker keeps its config files (RocketMQ's BrokerPathConfigHelper):
// <storePathRootDir>/config/{topics,subscriptionGroup,consumerOffset,delayOffset}.json.

import { join } from 'node:path';

export function configDir(storePathRootDir: string): string {
  return join(storePathRootDir, 'config');
}

export function topicConfigPath(storePathRootDir: string): string {
  return join(configDir(storePathRootDir), 'topics.json');
}

export function subscriptionGroupPath(storePathRootDir: string): string {
  return join(configDir(storePathRootDir), 'subscriptionGroup.json');
}

export function consumerOffsetPath(storePathRootDir: string): string {
  return join(configDir(storePathRootDir), 'consumerOffset.json');
}

export function delayOffsetPath(storePathRootDir: string): string {
  return join(configDir(storePathRootDir), 'delayOffset.json');
}
