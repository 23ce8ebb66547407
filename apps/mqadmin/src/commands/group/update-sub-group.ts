// updateSubGroup (-b addr | -c cluster) -g group [-s -m -d -o -q -r -i -w -a]: creates or replaces a
// subscription group's config on one broker or on every master of a cluster. As in RocketMQ the
// whole config is written: an option left out takes SubscriptionGroupConfig's default, except
// consumeFromMinEnable and consumeBroadcastEnable, which the command sets to false unless given.
// With -c a broker that refuses is reported in its line and makes the exit status 1; the others go on.
// Not supported: -p groupRetryPolicy and --attributes (the SDK's SubscriptionGroupConfig does
// not carry them).

import { SUBSCRIPTION_GROUP_DEFAULTS, type SubscriptionGroupConfig } from '@apogee/client';
import { defineCommand } from '../../command.js';
import type { CommandOptions } from '../../options.js';
import { type BrokerOutcome, brokerOrClusterOptions, brokerOutcomes, eachBroker, exitStatusOfAll, masterTargets } from '../broker-targets.js';
import { checkGroupName } from './group-support.js';

/** Every field updateSubGroup writes (SubscriptionGroupConfig with nothing left to the defaults). */
export type SubGroupSettings = Required<SubscriptionGroupConfig>;

export interface UpdateSubGroupJson {
  clusterName?: string;
  brokers: BrokerOutcome[];
  config: SubGroupSettings;
}

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

export const updateSubGroup = defineCommand({
  name: 'updateSubGroup',
  summary: 'Update or create subscription group',
  options: [
    ...brokerOrClusterOptions('create the subscription group on'),
    { flags: '-g, --groupName <group>', description: 'consumer group name', required: true },
    { flags: '-s, --consumeEnable <true|false>', description: 'consume enable (default true)' },
    { flags: '-m, --consumeFromMinEnable <true|false>', description: 'from min offset (default false)' },
    { flags: '-d, --consumeBroadcastEnable <true|false>', description: 'broadcast (default false)' },
    { flags: '-o, --consumeMessageOrderly <true|false>', description: 'consume message orderly (default false)' },
    { flags: '-q, --retryQueueNums <n>', description: 'retry queue nums (default 1)' },
    { flags: '-r, --retryMaxTimes <n>', description: 'retry max times (default 16)' },
    { flags: '-i, --brokerId <id>', description: 'consumer from which broker id (default 0)' },
    { flags: '-w, --whichBrokerWhenConsumeSlowly <id>', description: 'which broker id when consume slowly (default 1)' },
    { flags: '-a, --notifyConsumerIdsChanged <true|false>', description: 'notify consumerId changed (default true)' },
  ],
  async run(ctx, options) {
    const config = settingsOf(options);
    const admin = await ctx.admin();
    const targets = await masterTargets(admin, options);
    const results = await eachBroker(ctx, 'updateSubGroup', targets.addrs, (brokerAddr) => admin.createAndUpdateSubscriptionGroupConfig(brokerAddr, config));
    const brokers = brokerOutcomes(results);
    const lines = brokers.map((b) => (b.ok ? `create subscription group to ${b.brokerAddr} success.` : `create subscription group to ${b.brokerAddr} failed: ${b.error}`));
    const json: UpdateSubGroupJson = { ...(targets.clusterName === undefined ? {} : { clusterName: targets.clusterName }), brokers, config };
    return {
      json,
      blocks: [lines.join('\n'), configText(config, ctx.width)],
      exitStatus: exitStatusOfAll(results),
    };
  },
});

function settingsOf(options: CommandOptions): SubGroupSettings {
  const D = SUBSCRIPTION_GROUP_DEFAULTS;
  return {
    groupName: checkGroupName(options.text('groupName')),
    consumeEnable: options.bool('consumeEnable', D.consumeEnable),
    consumeFromMinEnable: options.bool('consumeFromMinEnable', false),
    consumeBroadcastEnable: options.bool('consumeBroadcastEnable', false),
    consumeMessageOrderly: options.bool('consumeMessageOrderly', D.consumeMessageOrderly),
    retryQueueNums: options.int('retryQueueNums', D.retryQueueNums, { min: 0, max: INT32.max }),
    retryMaxTimes: options.int('retryMaxTimes', D.retryMaxTimes, INT32),
    brokerId: options.int('brokerId', D.brokerId, { min: 0 }),
    whichBrokerWhenConsumeSlowly: options.int('whichBrokerWhenConsumeSlowly', D.whichBrokerWhenConsumeSlowly, { min: 0 }),
    notifyConsumerIdsChangedEnable: options.bool('notifyConsumerIdsChanged', D.notifyConsumerIdsChangedEnable),
    groupSysFlag: D.groupSysFlag,
    consumeTimeoutMinute: D.consumeTimeoutMinute,
  };
}

/**
 * The config as RocketMQ prints it (SubscriptionGroupConfig{groupName=…, consumeEnable=…, …}),
 * broken after a comma where a line would pass `width`.
 */
export function configText(config: SubGroupSettings, width: number): string {
  const fields = Object.entries(config).map(([key, value]) => `${key}=${String(value)}`);
  const lines: string[] = [];
  let line = 'SubscriptionGroupConfig{';
  fields.forEach((field, i) => {
    const piece = `${field}${i === fields.length - 1 ? '}' : ','}`;
    if (line.length > 0 && !line.endsWith('{') && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = `    ${piece}`;
    } else {
      line = line.endsWith('{') ? `${line}${piece}` : `${line} ${piece}`;
    }
  });
  lines.push(line);
  return lines.join('\n');
}
