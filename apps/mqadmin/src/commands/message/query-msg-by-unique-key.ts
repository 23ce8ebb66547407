// queryMsgByUniqueKey -t topic -i uniqKey [-a] [-c cluster]: the message(s) whose unique key
// (the producer's msgId) is uniqKey, oldest first; the first only unless -a (at most 32). Each
// gets the detail block (no OffsetID line, as RocketMQ) and its consumer tracks.
//   -g group -d clientId: that push consumer consumes the message now.
// No match is a failure (exit 1); RocketMQ prints nothing then.

import { type MessageExt } from '@apogee/common';
import { type OutputBlock, Opt, defineCommand } from '../../command.js';
import { CommandFailedError, ExitStatus } from '../../errors.js';
import { type MessageDetail, messageDetail } from './message-detail.js';
import { ClusterFilter, consumeDirectly, consumeDirectlyLine, directTarget, messagesByUniqKey } from './message-lookup.js';
import { MsgOpt } from './message-options.js';

export const queryMsgByUniqueKey = defineCommand({
  name: 'queryMsgByUniqueKey',
  summary: 'Query Message by Unique key.',
  options: [
    { flags: '-i, --msgId <uniqKey>', description: 'message id (the unique key the producer set)', required: true },
    Opt.group(false),
    MsgOpt.clientId,
    { flags: '-t, --topic <topic>', description: 'the topic of msg', required: true },
    { flags: '-a, --showAll', description: 'print all messages with this key, the limit is 32' },
    MsgOpt.cluster,
  ],
  async run(ctx, options) {
    const uniqKey = options.text('msgId');
    const topic = options.text('topic');
    const cluster = ClusterFilter.of(options, topic);
    const target = directTarget(options);
    const admin = await ctx.admin();
    const lookup = async (): Promise<MessageExt[]> => {
      const found = await messagesByUniqKey(admin, topic, uniqKey, cluster);
      if (found.length === 0) throw new CommandFailedError(`no message with unique key ${uniqKey} in topic ${topic}`);
      return found;
    };
    if (target !== undefined) {
      const row = await consumeDirectly(admin, { msgId: uniqKey, ...target }, async () => (await lookup())[0]!);
      return { json: row, blocks: [consumeDirectlyLine(row)], ...(row.error === undefined ? {} : { exitStatus: ExitStatus.FAILED }) };
    }
    const found = await lookup();
    const shown = options.flag('showAll') ? found : found.slice(0, 1);
    const json: MessageDetail[] = [];
    const blocks: OutputBlock[] = [];
    for (const [index, msg] of shown.entries()) {
      const detail = await messageDetail(admin, msg, { withOffsetId: false, index });
      json.push(detail.json);
      if (index > 0) blocks.push('');
      blocks.push(...detail.blocks);
    }
    return { json, blocks };
  },
});
