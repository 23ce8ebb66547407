// topicClusterList -t topic: the clusters the topic lives in, one name a line. RocketMQ looks only
// at the first broker of the route; here every broker hosting the topic counts, so a topic
// created in several clusters lists them all. An unknown topic fails with TOPIC_NOT_EXIST.

import { defineCommand, Opt } from '../../command.js';

export const topicClusterList = defineCommand({
  name: 'topicClusterList',
  summary: 'Get cluster info for topic',
  options: [Opt.topic()],
  async run(ctx, options) {
    const topic = options.text('topic');
    const admin = await ctx.admin();
    const route = await admin.examineTopicRouteInfo(topic);
    const info = await admin.examineBrokerClusterInfo();
    const brokerNames = new Set(route.brokerDatas.map((b) => b.brokerName));
    const clusters: string[] = [];
    for (const [clusterName, names] of info.clusterAddrTable) if (names.some((n) => brokerNames.has(n))) clusters.push(clusterName);
    clusters.sort();
    return { json: clusters, blocks: clusters.length === 0 ? [] : [clusters.join('\n')] };
  },
});
