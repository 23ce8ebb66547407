// deleteSubGroup (-b addr | -c cluster) -g group [-r true|false]: deletes a subscription group's
// config on one broker or on every master of a cluster (with -r true also its committed offsets).
// With -c, as RocketMQ does, the group's %RETRY% and %DLQ% topics are then deleted from the cluster
// and the NameServer. A group that none of the brokers has is a failure (exit 1) before anything is
// deleted; RocketMQ would answer success. A broker that refuses (with -c) or a retry/DLQ topic that
// cannot be deleted is reported in its line and makes the exit status 1.

import { getDLQTopic, getRetryTopic } from '@apogee/common';
import { defineCommand } from '../../command.js';
import { CommandFailedError, ExitStatus, describeError } from '../../errors.js';
import { type BrokerOutcome, brokerOrClusterOptions, brokerOutcomes, eachBroker, masterTargets } from '../broker-targets.js';

/** With -c: the group's retry or DLQ topic, deleted from the cluster or not. */
export interface DeleteSubGroupTopicResult {
  topic: string;
  ok: boolean;
  error?: string;
}

export interface DeleteSubGroupJson {
  groupName: string;
  clusterName?: string;
  removeOffset: boolean;
  brokers: BrokerOutcome[];
  topics: DeleteSubGroupTopicResult[];
}

export const deleteSubGroup = defineCommand({
  name: 'deleteSubGroup',
  summary: 'Delete subscription group from broker',
  options: [
    ...brokerOrClusterOptions('delete the subscription group from'),
    { flags: '-g, --groupName <group>', description: 'subscription group name', required: true },
    { flags: '-r, --removeOffset <true|false>', description: 'also remove the group\'s offsets (default false)' },
  ],
  async run(ctx, options) {
    const groupName = options.text('groupName');
    const removeOffset = options.bool('removeOffset', false);
    const admin = await ctx.admin();
    const targets = await masterTargets(admin, options);
    const holders = await Promise.all(targets.addrs.map((addr) => admin.examineSubscriptionGroupConfig(addr, groupName)));
    if (holders.every((config) => config === undefined)) {
      throw new CommandFailedError(`subscription group ${groupName} not found on ${targets.clusterName === undefined ? `broker ${targets.addrs[0]}` : `any master of cluster ${targets.clusterName}`}`);
    }
    const brokers = brokerOutcomes(await eachBroker(ctx, 'deleteSubGroup', targets.addrs, (brokerAddr) => admin.deleteSubscriptionGroup(brokerAddr, groupName, removeOffset)));
    const where = targets.clusterName === undefined ? '' : ` in cluster [${targets.clusterName}]`;
    const lines = brokers.map((b) => `delete subscription group [${groupName}] from broker [${b.brokerAddr}]${where} ${b.ok ? 'success.' : `failed: ${b.error}`}`);
    const topics: DeleteSubGroupTopicResult[] = [];
    if (targets.clusterName !== undefined) {
      for (const topic of [getRetryTopic(groupName), getDLQTopic(groupName)]) {
        try {
          await admin.deleteTopic(topic, targets.clusterName);
          topics.push({ topic, ok: true });
        } catch (err) {
          topics.push({ topic, ok: false, error: describeError(err) });
          lines.push(`delete topic [${topic}] from cluster [${targets.clusterName}] failed: ${describeError(err)}`);
        }
      }
    }
    const json: DeleteSubGroupJson = { groupName, ...(targets.clusterName === undefined ? {} : { clusterName: targets.clusterName }), removeOffset, brokers, topics };
    const failed = brokers.some((b) => !b.ok) || topics.some((t) => !t.ok);
    return { json, blocks: [lines.join('\n')], ...(failed ? { exitStatus: ExitStatus.FAILED } : {}) };
  },
});
