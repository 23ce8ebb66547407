// queryMsgByKey -t topic -k key [-b begin] [-e end] [-m maxNum] [-c cluster]: the messages of the
// topic whose keys include `key`, stored between the two times (default: all time), at most
// maxNum (default 64) per broker, from the brokers' index: #Message ID #QID #Offset.
// No match is a failure (exit 1), as in RocketMQ.

import { defineCommand, Opt } from '../../command.js';
import { ClusterFilter } from './message-lookup.js';
import { type MessageView, messageView } from './message-view.js';
import { MsgOpt } from './message-options.js';

export const queryMsgByKey = defineCommand({
  name: 'queryMsgByKey',
  summary: 'Query Message by Key.',
  options: [
    Opt.topic(),
    { flags: '-k, --msgKey <key>', description: 'message key', required: true },
    MsgOpt.timestamp('b', 'beginTimestamp', '; default 0'),
    MsgOpt.timestamp('e', 'endTimestamp', '; default Long.MAX_VALUE'),
    { flags: '-m, --maxNum <n>', description: 'the maximum number of messages returned by the query, default 64' },
    MsgOpt.cluster,
  ],
  async run(ctx, options) {
    const topic = options.text('topic');
    const key = options.text('msgKey');
    const begin = options.timestamp('beginTimestamp') ?? 0;
    const end = options.timestamp('endTimestamp') ?? Number.MAX_SAFE_INTEGER;
    const maxNum = options.int('maxNum', 64, { min: 1 });
    const cluster = ClusterFilter.of(options, topic);
    const admin = await ctx.admin();
    const found = await cluster.keep(admin, (await admin.queryMessage(topic, key, maxNum, begin, end)).messageList);
    const rows: MessageView[] = found.map(messageView);
    return {
      json: rows,
      blocks: [{
        columns: [{ header: '#Message ID', widthMin: 32 }, { header: '#QID', align: 'right' }, { header: '#Offset', align: 'right' }],
        rows: rows.map((r) => [r.msgId, r.queueId, r.queueOffset]),
      }],
    };
  },
});
