// topicList [-c]: every topic the NameServer knows; with -c (clusterModel) also each topic's
// cluster and the groups that consume it (retry and DLQ topics left out, as RocketMQ does).

import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '@apogee/common';
import type { DefaultMQAdminExt } from '@apogee/client';
import type { ClusterInfo } from '@apogee/remoting';
import { defineCommand } from '../../command.js';

export interface TopicClusterRow {
  clusterName: string;
  topic: string;
  consumerGroup: string;
}

export const topicList = defineCommand({
  name: 'topicList',
  summary: 'Fetch all topic list from name server',
  options: [{ flags: '-c, --clusterModel', description: 'also print each topic\'s cluster and consumer groups' }],
  async run(ctx, options) {
    const admin = await ctx.admin();
    const topics = [...(await admin.fetchAllTopicList())].sort();
    if (!options.flag('clusterModel')) return { json: topics, blocks: topics.length === 0 ? [] : [topics.join('\n')] };
    const info = await admin.examineBrokerClusterInfo();
    const rows: TopicClusterRow[] = [];
    for (const topic of topics) {
      if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) continue;
      const clusterName = await clusterOfTopic(admin, info, topic);
      const groups = await admin.queryTopicConsumeByWho(topic).catch(() => []);
      for (const consumerGroup of groups.length === 0 ? [''] : [...groups].sort()) rows.push({ clusterName, topic, consumerGroup });
    }
    return {
      json: rows,
      blocks: [{
        columns: [{ header: '#Cluster Name', widthMin: 10 }, { header: '#Topic', overflow: 'wrap', widthMin: 20 }, { header: '#Consumer Group', overflow: 'wrap', widthMin: 20 }],
        rows: rows.map((r) => [r.clusterName, r.topic, r.consumerGroup]),
      }],
    };
  },
});

async function clusterOfTopic(admin: DefaultMQAdminExt, info: ClusterInfo, topic: string): Promise<string> {
  try {
    const brokerName = (await admin.examineTopicRouteInfo(topic)).brokerDatas[0]?.brokerName;
    for (const [cluster, brokers] of info.clusterAddrTable) if (brokerName !== undefined && brokers.includes(brokerName)) return cluster;
  } catch {
    // a topic without a route has no cluster
  }
  return '';
}
