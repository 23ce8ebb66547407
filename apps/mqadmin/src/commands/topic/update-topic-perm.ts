// updateTopicPerm -t topic -p 2|4|6 (-b addr | -c cluster): changes only the permission of a topic
// on one master or on the masters of a cluster that host it. Each broker's current TopicConfig is
// read back (GET_TOPIC_CONFIG; the route's queue data where the broker cannot answer it, as
// RocketMQ always takes them) and sent again with the new perm, so queue counts, order flag and
// attributes stay. Prints `update topic perm from <old> to <new> in <addr> success.`; a broker
// whose perm already is the new one is left alone (`new perm equals to the old one!`).

import { MASTER_ID } from '@apogee/common';
import type { DefaultMQAdminExt } from '@apogee/client';
import type { QueueData, TopicConfig } from '@apogee/remoting';
import { defineCommand, Opt } from '../../command.js';
import { CommandFailedError, UsageError } from '../../errors.js';
import { brokerOrCluster, brokerOrClusterOptions, eachBroker, exitStatusOfAll, mastersOfCluster } from '../broker-targets.js';
import { formatTopicConfig, topicConfigOf, topicOption } from './topic-configs.js';

/** What mqadmin lets an operator set: W, R or RW. */
const SETTABLE_PERMS: readonly number[] = [2, 4, 6];

export interface TopicPermChange {
  brokerAddr: string;
  oldPerm?: number;
  newPerm: number;
  /** false when the perm already was newPerm, or on failure */
  updated: boolean;
  error?: string;
}

export interface UpdateTopicPermResult {
  topic: string;
  perm: number;
  brokers: TopicPermChange[];
}

export const updateTopicPerm = defineCommand({
  name: 'updateTopicPerm',
  summary: 'Update topic perm',
  options: [
    ...brokerOrClusterOptions('update the topic on'),
    Opt.topic(),
    { flags: '-p, --perm <perm>', description: "topic's permission: 2 W, 4 R, 6 RW", required: true },
  ],
  async run(ctx, options) {
    const topic = topicOption(options);
    const perm = options.int('perm', 0);
    if (!SETTABLE_PERMS.includes(perm)) throw new UsageError(`option --perm must be 2 (W), 4 (R) or 6 (RW), got ${perm}`);
    const target = brokerOrCluster(options);
    const admin = await ctx.admin();
    const route = await admin.examineTopicRouteInfo(topic);
    const queueDataOf = (brokerName: string): QueueData | undefined => route.queueDatas.find((q) => q.brokerName === brokerName);
    if (target.brokerAddr !== undefined) {
      const brokerData = route.brokerDatas.find((b) => b.brokerAddrs.get(MASTER_ID) === target.brokerAddr);
      if (brokerData === undefined) throw new CommandFailedError(`${target.brokerAddr} is not a master broker hosting topic ${topic} (topicRoute -t ${topic} shows where it is)`);
      const config = await currentConfig(admin, target.brokerAddr, topic, queueDataOf(brokerData.brokerName));
      const oldPerm = config.perm;
      if (oldPerm === perm) {
        const json: UpdateTopicPermResult = { topic, perm, brokers: [{ brokerAddr: target.brokerAddr, oldPerm, newPerm: perm, updated: false }] };
        return { json, blocks: ['new perm equals to the old one!'] };
      }
      const next: TopicConfig = { ...config, perm };
      await admin.createAndUpdateTopicConfig(target.brokerAddr, next);
      const json: UpdateTopicPermResult = { topic, perm, brokers: [{ brokerAddr: target.brokerAddr, oldPerm, newPerm: perm, updated: true }] };
      return { json, blocks: [`update topic perm from ${oldPerm} to ${perm} in ${target.brokerAddr} success.\n${formatTopicConfig(next)}.`] };
    }
    const hosting = new Set(route.brokerDatas.map((b) => b.brokerName));
    const masters = (await mastersOfCluster(admin, target.clusterName)).filter((m) => hosting.has(m.brokerName));
    if (masters.length === 0) throw new CommandFailedError(`topic ${topic} has no master broker in cluster ${target.clusterName}`);
    const results = await eachBroker(ctx, 'updateTopicPerm', masters.map((m) => m.addr), async (addr) => {
      const config = await currentConfig(admin, addr, topic, queueDataOf(masters.find((m) => m.addr === addr)!.brokerName));
      if (config.perm !== perm) await admin.createAndUpdateTopicConfig(addr, { ...config, perm });
      return config.perm;
    });
    const brokers: TopicPermChange[] = results.map((r) => (r.ok
      ? { brokerAddr: r.addr, oldPerm: r.value, newPerm: perm, updated: r.value !== perm }
      : { brokerAddr: r.addr, newPerm: perm, updated: false, error: r.error }));
    const lines = brokers.map((b) => {
      if (b.error !== undefined) return `update topic perm in ${b.brokerAddr} failed: ${b.error}`;
      return b.updated ? `update topic perm from ${b.oldPerm} to ${perm} in ${b.brokerAddr} success.` : `new perm equals to the old one in ${b.brokerAddr}!`;
    });
    const json: UpdateTopicPermResult = { topic, perm, brokers };
    return { json, blocks: [lines.join('\n')], exitStatus: exitStatusOfAll(results) };
  },
});

/** The broker's TopicConfig of `topic`; from the route's queue data when the broker cannot say (RocketMQ 4.x has no GET_TOPIC_CONFIG). */
async function currentConfig(admin: DefaultMQAdminExt, addr: string, topic: string, queueData: QueueData | undefined): Promise<TopicConfig> {
  const answer = await admin.examineTopicConfig(addr, topic).catch(() => undefined);
  if (answer === undefined && queueData === undefined) throw new CommandFailedError(`${addr} has no config of topic ${topic}`);
  return topicConfigOf(topic, answer, queueData);
}
