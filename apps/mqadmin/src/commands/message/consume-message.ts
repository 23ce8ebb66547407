// consumeMessage -t topic [-b brokerName [-i queueId [-o offset]]] [-g group] [-s begin] [-e end]
// [-c count]: pulls and prints at most `count` (default 128) messages, oldest first, as RocketMQ's
// ConsumeMessageCommand does: every queue of the topic in turn, or only queue -i of broker -b
// (from offset -o). -s/-e bound the range by store time (searchOffset). Each pulled batch prints
// `Consume ok` and its `MSGID: … BODY: …` lines. Offsets are never committed; -g only names the
// group the pulls are made for (RocketMQ's tool consumer also registers that group on the brokers).
// A progress bar over the messages to read shows on a terminal.

import { type MessageQueue, TOOLS_CONSUMER_GROUP, validateGroup } from '@apogee/common';
import { messageQueueToString } from '@apogee/client';
import { type OutputBlock, defineCommand, Opt } from '../../command.js';
import { CommandFailedError, ExitStatus, UsageError } from '../../errors.js';
import type { CommandOptions } from '../../options.js';
import { bodyDecoder } from './message-view.js';
import { type PrintedQueue, readQueue } from './queue-print.js';
import { QueueReader, tagSubscription } from './queue-reader.js';
import { MsgOpt } from './message-options.js';

export const CONSUME_COUNT_DEFAULT = 128;

/** What consumeMessage did: the queues it read, in order, with the messages. */
export interface ConsumeMessageResult {
  consumerGroup: string;
  /** most messages asked for (-c) */
  messageNumber: number;
  queues: PrintedQueue[];
  /** RocketMQ's notes (`The older N message … will be provided`, `… no matched msg …`) */
  notes: string[];
}

interface Plan {
  readonly topic: string;
  readonly brokerName?: string;
  readonly queueId?: number;
  readonly offset?: number;
  readonly beginMs?: number;
  readonly endMs?: number;
  readonly count: number;
}

export const consumeMessage = defineCommand({
  name: 'consumeMessage',
  summary: 'Consume message.',
  options: [
    Opt.topic(),
    { flags: '-b, --brokerName <brokerName>', description: 'broker name' },
    { flags: '-i, --queueId <queueId>', description: 'queue id (needs -b)' },
    { flags: '-o, --offset <offset>', description: 'queue offset (needs -i)' },
    Opt.group(false),
    MsgOpt.timestamp('s', 'beginTimestamp'),
    MsgOpt.timestamp('e', 'endTimestamp'),
    { flags: '-c, --MessageNumber <n>', description: `number of messages to be consumed, default ${CONSUME_COUNT_DEFAULT}` },
  ],
  async run(ctx, options) {
    const plan = readPlan(options);
    const consumerGroup = options.optionalText('consumerGroup') ?? TOOLS_CONSUMER_GROUP;
    const valid = validateGroup(consumerGroup);
    if (!valid.ok) throw new UsageError(valid.reason);
    const reader = new QueueReader(await ctx.admin(), consumerGroup);
    const notes: string[] = [];
    const blocks: OutputBlock[] = [];
    const note = (line: string): void => {
      notes.push(line);
      blocks.push(line);
    };

    const queues: PrintedQueue[] = [];
    const mqs: MessageQueue[] = plan.brokerName !== undefined && plan.queueId !== undefined
      ? [await reader.queueOf(plan.topic, plan.brokerName, plan.queueId)]
      : (await reader.queuesOf(plan.topic)).filter((mq) => plan.brokerName === undefined || mq.brokerName === plan.brokerName);
    if (mqs.length === 0) throw new CommandFailedError(`topic ${plan.topic} has no readable queue on broker ${plan.brokerName}`);
    let left = plan.count;
    for (const mq of mqs) {
      if (left <= 0) break;
      const range = await reader.range(mq, plan.beginMs, plan.endMs);
      let minOffset = Math.max(range.minOffset, plan.offset ?? 0);
      if (plan.offset !== undefined && plan.offset > range.maxOffset) {
        note(`${messageQueueToString(mq)} no matched msg, offset=${plan.offset}`);
        continue;
      }
      minOffset = Math.min(minOffset, range.maxOffset);
      let maxOffset = range.maxOffset;
      if (maxOffset - minOffset > left) {
        note(`The older ${left} message of the ${mq.queueId} queue will be provided`);
        maxOffset = minOffset + left;
      }
      left -= maxOffset - minOffset;
      queues.push({ messageQueue: mq, minOffset, maxOffset, messages: [] });
    }

    const progress = ctx.progress('consumeMessage', queues.reduce((n, q) => n + (q.maxOffset - q.minOffset), 0));
    const decode = bodyDecoder('UTF-8', 'charsetName');
    let done = 0;
    try {
      for (const queue of queues) {
        await readQueue(reader, queue, {
          subscription: tagSubscription(plan.topic, undefined), decode, printBody: true, keep: true, foundLine: 'Consume ok',
          onLines: (lines) => {
            blocks.push(...lines);
          },
          onAdvance: (offsets) => progress.update((done += offsets)),
        });
      }
    } finally {
      progress.finish();
    }
    const json: ConsumeMessageResult = { consumerGroup, messageNumber: plan.count, queues, notes };
    return { json, blocks, ...(queues.some((q) => q.error !== undefined) ? { exitStatus: ExitStatus.FAILED } : {}) };
  },
});

/** The options, checked as RocketMQ checks them (its messages, but as usage errors: exit 2). */
function readPlan(options: CommandOptions): Plan {
  const topic = options.text('topic');
  const count = options.int('MessageNumber', CONSUME_COUNT_DEFAULT, { min: 1 });
  const brokerName = options.optionalText('brokerName');
  const queueId = options.optionalInt('queueId', { min: 0 });
  if (queueId !== undefined && brokerName === undefined) throw new UsageError('Please set the brokerName before queueId! (-i needs -b)');
  const offset = options.optionalInt('offset', { min: 0 });
  if (offset !== undefined && queueId === undefined) throw new UsageError('Please set queueId before offset! (-o needs -i)');
  const now = Date.now();
  const beginMs = options.timestamp('beginTimestamp');
  if (beginMs !== undefined && beginMs > now) throw new UsageError('Please set the beginTimestamp before now!');
  const endMs = options.timestamp('endTimestamp');
  if (endMs !== undefined && endMs > now) throw new UsageError('Please set the endTimestamp before now!');
  if (beginMs !== undefined && endMs !== undefined && beginMs > endMs) throw new UsageError('Please make sure that the beginTimestamp is less than or equal to the endTimestamp');
  return {
    topic, count,
    ...(brokerName === undefined ? {} : { brokerName }),
    ...(queueId === undefined ? {} : { queueId }),
    ...(offset === undefined ? {} : { offset }),
    ...(beginMs === undefined ? {} : { beginMs }),
    ...(endMs === undefined ? {} : { endMs }),
  };
}
