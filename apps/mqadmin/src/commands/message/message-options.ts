// Option specs several message commands share (RocketMQ spells them alike in each).

import type { OptionSpec } from '../../command.js';

export const MsgOpt = {
  /** -f, --bodyFormat <charset> (queryMsgById, queryMsgByOffset) */
  bodyFormat: { flags: '-f, --bodyFormat <charset>', description: 'also print the body decoded with this charset (UTF-8, GBK…)' },
  /** -d, --clientId (with -g: consumeMessageDirectly) */
  clientId: { flags: '-d, --clientId <clientId>', description: "the consumer's client id (with -g: that consumer consumes the message now)" },
  /** -c, --cluster: the brokers a key/id query asks */
  cluster: { flags: '-c, --cluster <cluster>', description: 'query only this cluster\'s brokers' },
  /** a begin/end time, as epoch ms or RocketMQ's yyyy-MM-dd#HH:mm:ss:SSS */
  timestamp: (short: string, long: 'beginTimestamp' | 'endTimestamp', extra = ''): OptionSpec => ({
    flags: `-${short}, --${long} <timestamp>`,
    description: `${long === 'beginTimestamp' ? 'begin' : 'end'} timestamp (ms, or yyyy-MM-dd#HH:mm:ss:SSS)${extra}`,
  }),
} as const satisfies Record<string, OptionSpec | ((...args: never[]) => OptionSpec)>;
