// Delay levels (broker `messageDelayLevel`): a space-separated list of durations, level 1 first.
// A message with DELAY=n waits the n-th duration in SCHEDULE_TOPIC_XXXX queue n-1. Retries use
// level 3 + reconsumeTimes. Units as RocketMQ parses them: s, m, h, d (number then one letter).

import { InvalidArgumentError } from './errors.js';

export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TOKEN = /^(\d{1,15})([smhd])$/;

/**
 * Milliseconds per level: index 0 is level 1. Tokens are separated by whitespace (RocketMQ
 * splits on single spaces; runs of spaces are accepted here too). Throws InvalidArgumentError
 * naming the first token that is not `<digits><s|m|h|d>`, or when there is no token at all.
 */
export function parseDelayLevels(text: string): number[] {
  const tokens = text.trim().split(/\s+/);
  if (tokens.length === 1 && tokens[0] === '') {
    throw new InvalidArgumentError('messageDelayLevel', 'messageDelayLevel has no levels');
  }
  return tokens.map((token, i) => {
    const match = TOKEN.exec(token);
    const unitMs = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
    if (match?.[1] === undefined || unitMs === undefined) {
      throw new InvalidArgumentError(
        'messageDelayLevel',
        `messageDelayLevel token ${JSON.stringify(token)} (level ${i + 1}) is not a number followed by s, m, h or d`,
      );
    }
    const delayMs = Number(match[1]) * unitMs;
    if (!Number.isSafeInteger(delayMs)) {
      throw new InvalidArgumentError('messageDelayLevel', `messageDelayLevel token ${JSON.stringify(token)} is too large`);
    }
    return delayMs;
  });
}
