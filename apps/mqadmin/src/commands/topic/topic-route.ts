// topicRoute -t topic [-l]: the NameServer's route for a topic, as JSON (RocketMQ prints the
// TopicRouteData pretty-printed) or with -l as a table per broker with totals.

import { defineCommand, Opt } from '../../command.js';
import { toJsonText } from '../../output/format.js';

export const topicRoute = defineCommand({
  name: 'topicRoute',
  summary: 'Examine topic route info',
  options: [Opt.topic(), { flags: '-l, --list', description: 'use list format to print data' }],
  async run(ctx, options) {
    const route = await (await ctx.admin()).examineTopicRouteInfo(options.text('topic'));
    if (!options.flag('list')) return { json: route, blocks: [toJsonText(route)] };
    const queueByBroker = new Map(route.queueDatas.map((q) => [q.brokerName, q]));
    const brokers = [...route.brokerDatas].sort((a, b) => a.brokerName.localeCompare(b.brokerName));
    let read = 0;
    let write = 0;
    const rows = brokers.map((b) => {
      const q = queueByBroker.get(b.brokerName);
      read += q?.readQueueNums ?? 0;
      write += q?.writeQueueNums ?? 0;
      const addrs = [...b.brokerAddrs.entries()].map(([id, addr]) => `${id}=${addr}`).join(',');
      return [b.cluster, b.brokerName, `{${addrs}}`, q?.readQueueNums ?? 0, q?.writeQueueNums ?? 0, q?.perm ?? ''];
    });
    rows.push(['Total:', queueByBroker.size, '', read, write, '']);
    return {
      json: route,
      blocks: [{
        columns: [
          { header: '#ClusterName' }, { header: '#BrokerName' }, { header: '#BrokerAddrs', overflow: 'wrap', widthMin: 22 },
          { header: '#ReadQueue', align: 'right' }, { header: '#WriteQueue', align: 'right' }, { header: '#Perm', align: 'right' },
        ],
        rows,
      }],
    };
  },
});
