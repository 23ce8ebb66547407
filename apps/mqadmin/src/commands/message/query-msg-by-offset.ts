// queryMsgByOffset -t topic -b brokerName -i queueId -o offset [-f charset]: pulls the one message
// at that queue offset and prints its detail block and consumer tracks, as queryMsgById does.
// Nothing there is a failure (exit 1) naming the queue's offsets; RocketMQ prints nothing then.

import { defineCommand, Opt } from '../../command.js';
import { messageQueueToString } from '@apogee/client';
import { CommandFailedError } from '../../errors.js';
import { bodyFormatOption, messageDetail } from './message-detail.js';
import { QueueReader, tagSubscription } from './queue-reader.js';
import { MsgOpt } from './message-options.js';

export const queryMsgByOffset = defineCommand({
  name: 'queryMsgByOffset',
  summary: 'Query Message by offset.',
  options: [
    Opt.topic(),
    { flags: '-b, --brokerName <brokerName>', description: 'broker name', required: true },
    { flags: '-i, --queueId <queueId>', description: 'queue id', required: true },
    { flags: '-o, --offset <offset>', description: 'queue offset', required: true },
    MsgOpt.bodyFormat,
  ],
  async run(ctx, options) {
    const topic = options.text('topic');
    const brokerName = options.text('brokerName');
    const queueId = options.int('queueId', 0, { min: 0 });
    const offset = options.int('offset', 0, { min: 0 });
    const decode = bodyFormatOption(options);
    const admin = await ctx.admin();
    const reader = new QueueReader(admin);
    const mq = await reader.queueOf(topic, brokerName, queueId);
    const result = await reader.pull(mq, tagSubscription(topic, undefined), offset, 1);
    const msg = result.pullStatus === 'FOUND' ? result.msgFoundList.find((m) => m.queueOffset === offset) : undefined;
    if (msg === undefined) {
      throw new CommandFailedError(`no message at offset ${offset} of ${messageQueueToString(mq)} (${result.pullStatus}; the queue holds offsets ${result.minOffset} to ${result.maxOffset - 1})`);
    }
    const detail = await messageDetail(admin, msg, { withOffsetId: true, ...(decode === undefined ? {} : { decode }) });
    return { json: detail.json, blocks: detail.blocks };
  },
});
