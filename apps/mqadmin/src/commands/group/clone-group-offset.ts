// cloneGroupOffset -s srcGroup -d destGroup -t topic [-o true|false]: copies srcGroup's committed
// offsets on the topic to destGroup on the brokers (CLONE_GROUP_OFFSET), then reads destGroup's
// offsets back for --json. Unless -o true (offline), a broker leaves alone a topic that srcGroup
// has consumers online for without subscribing to it. An unknown topic, a srcGroup the cluster
// does not know (no %RETRY% route, as RocketMQ's command requires) or one with no offsets on the
// topic is a failure (exit 1) before anything is copied.

import { defineCommand } from '../../command.js';
import { CommandFailedError } from '../../errors.js';
import { explainTopicError, forGroup } from './group-support.js';

/** destGroup's offset on one queue after the clone. */
export interface ClonedOffsetRow {
  brokerName: string;
  queueId: number;
  consumerOffset: number;
}

export interface CloneGroupOffsetJson {
  srcGroup: string;
  destGroup: string;
  topic: string;
  offline: boolean;
  /** destGroup's offsets on the topic as read after the clone */
  offsets: ClonedOffsetRow[];
}

export const cloneGroupOffset = defineCommand({
  name: 'cloneGroupOffset',
  summary: 'Clone offset from other group',
  options: [
    { flags: '-s, --srcGroup <group>', description: 'set source consumer group', required: true },
    { flags: '-d, --destGroup <group>', description: 'set destination consumer group', required: true },
    { flags: '-t, --topic <topic>', description: 'set the topic', required: true },
    { flags: '-o, --offline <true|false>', description: 'the group or the topic is offline (default false)' },
  ],
  async run(ctx, options) {
    const srcGroup = options.text('srcGroup');
    const destGroup = options.text('destGroup');
    const topic = options.text('topic');
    const offline = options.bool('offline', false);
    const admin = await ctx.admin();
    await admin.examineTopicRouteInfo(topic).catch((err: unknown) => {
      throw explainTopicError(err, topic);
    });
    // as RocketMQ's command: the source group's progress over every topic it has offsets on
    const source = await forGroup(srcGroup, () => admin.examineConsumeStats(srcGroup));
    if (!source.offsetTable.some((o) => o.messageQueue.topic === topic)) throw new CommandFailedError(`consumer group ${srcGroup} has no committed offsets on topic ${topic}`);
    await admin.cloneGroupOffset(srcGroup, destGroup, topic, offline);
    const dest = await admin.examineConsumeStats(destGroup, topic).catch(() => ({ offsetTable: [] }));
    const offsets = dest.offsetTable
      .filter((o) => o.messageQueue.topic === topic)
      .map((o) => ({ brokerName: o.messageQueue.brokerName, queueId: o.messageQueue.queueId, consumerOffset: o.consumerOffset }));
    const json: CloneGroupOffsetJson = { srcGroup, destGroup, topic, offline, offsets };
    return { json, blocks: [`clone group offset success. srcGroup[${srcGroup}], destGroup=[${destGroup}], topic[${topic}]`] };
  },
});
