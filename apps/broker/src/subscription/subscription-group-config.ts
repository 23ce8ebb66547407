// SubscriptionGroupConfig values: a consumer group's broker-side settings. Defaults (reference
// rocketmq-store-ha.md §23.3): consumeEnable true, consumeFromMinEnable true,
// consumeBroadcastEnable true, consumeMessageOrderly false, retryQueueNums 1, retryMaxTimes 16,
// brokerId 0, whichBrokerWhenConsumeSlowly 1, notifyConsumerIdsChangedEnable true,
// groupSysFlag 0, consumeTimeoutMinute 15. The subscriptionGroup.json form is the store
// package's subscriptionGroupCodec; readSubscriptionGroupConfig checks admin bodies strictly.

import { DEFAULT_MAX_RECONSUME_TIMES } from '@apogee/common';
import type { SubscriptionGroupConfig } from '@apogee/store';

export type { SubscriptionGroupConfig };

const BOOL_FIELDS = ['consumeEnable', 'consumeFromMinEnable', 'consumeBroadcastEnable', 'consumeMessageOrderly', 'notifyConsumerIdsChangedEnable'] as const;
const INT_FIELDS = ['retryQueueNums', 'retryMaxTimes', 'brokerId', 'whichBrokerWhenConsumeSlowly', 'groupSysFlag', 'consumeTimeoutMinute'] as const;

/** A frozen config with the defaults for what `fields` leaves out. */
export function newSubscriptionGroupConfig(groupName: string, fields: Partial<Omit<SubscriptionGroupConfig, 'groupName'>> = {}): Readonly<SubscriptionGroupConfig> {
  return Object.freeze({
    groupName,
    consumeEnable: fields.consumeEnable ?? true,
    consumeFromMinEnable: fields.consumeFromMinEnable ?? true,
    consumeBroadcastEnable: fields.consumeBroadcastEnable ?? true,
    consumeMessageOrderly: fields.consumeMessageOrderly ?? false,
    retryQueueNums: fields.retryQueueNums ?? 1,
    retryMaxTimes: fields.retryMaxTimes ?? DEFAULT_MAX_RECONSUME_TIMES,
    brokerId: fields.brokerId ?? 0,
    whichBrokerWhenConsumeSlowly: fields.whichBrokerWhenConsumeSlowly ?? 1,
    notifyConsumerIdsChangedEnable: fields.notifyConsumerIdsChangedEnable ?? true,
    groupSysFlag: fields.groupSysFlag ?? 0,
    consumeTimeoutMinute: fields.consumeTimeoutMinute ?? 15,
    attributes: Object.freeze({ ...(fields.attributes ?? {}) }),
  });
}

/** A config from its JSON object (an admin request body), or the reason it is unusable. */
export function readSubscriptionGroupConfig(raw: unknown, nameHint?: string): Readonly<SubscriptionGroupConfig> | string {
  const obj = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (obj === undefined) return 'subscription group config is not a JSON object';
  const groupName = typeof obj['groupName'] === 'string' && obj['groupName'] !== '' ? obj['groupName'] : nameHint;
  if (groupName === undefined) return 'subscription group config has no groupName';
  const fields: Partial<SubscriptionGroupConfig> = {};
  for (const key of BOOL_FIELDS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') return `subscription group ${groupName}: ${key} is not a boolean`;
    fields[key] = v;
  }
  for (const key of INT_FIELDS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) return `subscription group ${groupName}: ${key} is not an integer`;
    fields[key] = v;
  }
  const attributes: Record<string, string> = {};
  const rawAttributes = obj['attributes'];
  if (typeof rawAttributes === 'object' && rawAttributes !== null) {
    for (const [k, v] of Object.entries(rawAttributes)) attributes[k] = String(v);
  }
  fields.attributes = attributes;
  return newSubscriptionGroupConfig(groupName, fields);
}
