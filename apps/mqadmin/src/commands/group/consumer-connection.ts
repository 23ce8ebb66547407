// consumerConnection -g group: the group's online clients (#ClientId #ClientAddr #Language
// #Version), then its subscriptions (#Topic #SubExpression) and its ConsumeType, MessageModel and
// ConsumeFromWhere, as the broker hosting the group's retry topic reports them. A group nobody
// consumes for is a failure naming it (exit 1).
// Not supported: -b (ask one broker): the SDK's examineConsumerConnectionInfo picks the broker.

import { defineCommand, Opt } from '../../command.js';
import { type ConnectionRow, connectionRows, connectionTable, forGroup } from './group-support.js';

/** One subscription of the group: topic and expression (tags or SQL92). */
export interface SubscriptionRow {
  topic: string;
  subExpression: string;
}

export interface ConsumerConnectionJson {
  group: string;
  connections: ConnectionRow[];
  subscriptions: SubscriptionRow[];
  /** CONSUME_PASSIVELY (push) or CONSUME_ACTIVELY (pull) */
  consumeType?: string;
  /** CLUSTERING or BROADCASTING */
  messageModel?: string;
  consumeFromWhere?: string;
}

export const consumerConnection = defineCommand({
  name: 'consumerConnection',
  summary: 'Query consumer\'s socket connection, client version and subscription',
  options: [Opt.group()],
  async run(ctx, options) {
    const group = options.text('consumerGroup');
    const admin = await ctx.admin();
    const cc = await forGroup(group, () => admin.examineConsumerConnectionInfo(group));
    const subscriptions = [...cc.subscriptionTable.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([topic, subExpression]) => ({ topic, subExpression }));
    const json: ConsumerConnectionJson = {
      group, connections: connectionRows(cc.connectionSet), subscriptions,
      ...(cc.consumeType === undefined ? {} : { consumeType: cc.consumeType }),
      ...(cc.messageModel === undefined ? {} : { messageModel: cc.messageModel }),
      ...(cc.consumeFromWhere === undefined ? {} : { consumeFromWhere: cc.consumeFromWhere }),
    };
    return {
      json,
      blocks: [
        connectionTable(json.connections),
        '\nBelow is subscription:',
        { columns: [{ header: '#Topic', overflow: 'wrap', widthMin: 20 }, { header: '#SubExpression', overflow: 'wrap', widthMin: 20 }], rows: subscriptions.map((s) => [s.topic, s.subExpression]) },
        ['', `ConsumeType: ${cc.consumeType ?? ''}`, `MessageModel: ${cc.messageModel ?? ''}`, `ConsumeFromWhere: ${cc.consumeFromWhere ?? ''}`].join('\n'),
      ],
    };
  },
});
