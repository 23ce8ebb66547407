// printMsg -t topic [-c charset] [-s subExpression] [-b begin] [-e end] [-d true|false]: every
// message of every readable queue of the topic, from the offset of -b (or the queue's min) up to
// the offset of -e (or its max), as RocketMQ prints them:
//   minOffset=…, maxOffset=…, MessageQueue [topic=…, brokerName=…, queueId=…]
//   MSGID: <msgId> MessageExt [… properties={…} …] BODY: <body | NOT PRINT BODY>
//   --------------------------------------------------------
// Text is written batch by batch as it is pulled (streamed-text.ts), so memory stays bounded
// however many messages the range holds (the JSON document is built whole). A progress bar over the
// messages of the range shows on a terminal. A queue that fails is reported and the others are
// still read (exit 1). -l (LMQ parent topic) is refused: Apogee has no LMQ.

import { messageQueueToString } from '@apogee/client';
import { defineCommand, Opt } from '../../command.js';
import { ExitStatus, UsageError, describeError } from '../../errors.js';
import { bodyDecoder } from './message-view.js';
import { type PrintedQueue, readQueue } from './queue-print.js';
import { QueueReader, tagSubscription } from './queue-reader.js';
import { StreamedText } from './streamed-text.js';
import { MsgOpt } from './message-options.js';

const SEPARATOR = '--------------------------------------------------------';

export const printMsg = defineCommand({
  name: 'printMsg',
  summary: 'Print Message Detail.',
  options: [
    Opt.topic(),
    { flags: '-c, --charsetName <charset>', description: 'charset of the bodies (UTF-8, GBK…), default UTF-8' },
    { flags: '-s, --subExpression <expression>', description: 'subscribe expression (TagA || TagB), default *' },
    MsgOpt.timestamp('b', 'beginTimestamp'),
    MsgOpt.timestamp('e', 'endTimestamp'),
    { flags: '-d, --printBody <true|false>', description: 'print the body, default true' },
    { flags: '-l, --lmqParentTopic <topic>', description: 'LMQ parent topic (not supported by Apogee)' },
  ],
  async run(ctx, options) {
    const topic = options.text('topic');
    if (options.has('lmqParentTopic')) throw new UsageError('option --lmqParentTopic: LMQ is not supported');
    const decode = bodyDecoder(options.optionalText('charsetName') ?? 'UTF-8', 'charsetName');
    const subscription = tagSubscription(topic, options.optionalText('subExpression'));
    const begin = options.timestamp('beginTimestamp');
    const end = options.timestamp('endTimestamp');
    const printBody = options.bool('printBody', true);
    const reader = new QueueReader(await ctx.admin());

    const queues: PrintedQueue[] = [];
    for (const mq of await reader.queuesOf(topic)) {
      const queue: PrintedQueue = { messageQueue: mq, minOffset: 0, maxOffset: 0, messages: [] };
      try {
        Object.assign(queue, await reader.range(mq, begin, end));
      } catch (err) {
        queue.error = describeError(err);
      }
      queues.push(queue);
    }
    const total = queues.reduce((n, q) => n + Math.max(0, q.maxOffset - q.minOffset), 0);
    const progress = ctx.progress('printMsg', total);
    const out = new StreamedText(ctx, progress);
    let done = 0;
    try {
      for (const queue of queues) {
        if (out.closed) break;
        const mq = queue.messageQueue;
        await out.write([`minOffset=${queue.minOffset}, maxOffset=${queue.maxOffset}, ${messageQueueToString(mq)}`]);
        if (queue.error === undefined) {
          await readQueue(reader, queue, {
            subscription, decode, printBody, keep: ctx.settings.json,
            onLines: (lines) => out.write(lines),
            onAdvance: (offsets) => progress.update((done += offsets)),
            stop: () => out.closed,
          });
        } else {
          await out.write([`${messageQueueToString(mq)} print msg failed: ${queue.error}`]);
        }
        await out.write([SEPARATOR]);
      }
    } finally {
      progress.finish();
      out.close();
    }
    return { json: queues, blocks: [], ...(queues.some((q) => q.error !== undefined) ? { exitStatus: ExitStatus.FAILED } : {}) };
  },
});
