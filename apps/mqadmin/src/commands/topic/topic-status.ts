// topicStatus -t topic [-c cluster]: each queue's min and max offset and the store time of its
// last message (GET_TOPIC_STATS_INFO on every master hosting the topic), by broker then queue.
// With -c only the brokers of that cluster. An unknown topic fails with TOPIC_NOT_EXIST.

import type { TopicOffset } from '@apogee/client';
import { defineCommand, Opt } from '../../command.js';
import { CommandFailedError } from '../../errors.js';
import { formatTimestamp } from '../../output/format.js';
import { brokersOfCluster } from '../broker-targets.js';

export interface TopicStatusRow {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  /** store time (epoch ms) of the queue's last message; 0 when it has none */
  lastUpdateTimestamp: number;
}

export const topicStatus = defineCommand({
  name: 'topicStatus',
  summary: 'Examine topic Status info',
  options: [Opt.topic(), { flags: '-c, --cluster <cluster>', description: 'only the brokers of this cluster' }],
  async run(ctx, options) {
    const topic = options.text('topic');
    const clusterName = options.optionalText('cluster');
    const admin = await ctx.admin();
    let offsets: readonly TopicOffset[] = (await admin.examineTopicStats(topic)).offsetTable;
    if (clusterName !== undefined) {
      const brokerNames = new Set((await brokersOfCluster(admin, clusterName)).map((b) => b.brokerName));
      offsets = offsets.filter((o) => brokerNames.has(o.messageQueue.brokerName));
      if (offsets.length === 0) throw new CommandFailedError(`topic ${topic} has no queue in cluster ${clusterName}`);
    }
    const rows: TopicStatusRow[] = offsets.map((o) => ({
      brokerName: o.messageQueue.brokerName, queueId: o.messageQueue.queueId, minOffset: o.minOffset, maxOffset: o.maxOffset, lastUpdateTimestamp: o.lastUpdateTimestamp,
    }));
    return {
      json: rows,
      blocks: [{
        columns: [
          { header: '#Broker Name', overflow: 'wrap', widthMin: 16 }, { header: '#QID', align: 'right' }, { header: '#Min Offset', align: 'right' },
          { header: '#Max Offset', align: 'right' }, { header: '#Last Updated', widthMin: 23 },
        ],
        rows: rows.map((r) => [r.brokerName, r.queueId, r.minOffset, r.maxOffset, r.lastUpdateTimestamp > 0 ? formatTimestamp(r.lastUpdateTimestamp) : '']),
      }],
    };
  },
});
