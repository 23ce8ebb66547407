// How a failed run ends: one line on stderr (the stack only with --verbose) and an exit status.
//   0 it worked; 1 the operation failed (unreachable NameServer, unknown topic or group, a broker
//   that refused); 2 the command line was wrong (unknown command, missing or bad option).

import { ApogeeError } from '@apogee/common';
import { MQBrokerError, MQClientError } from '@apogee/client';
import { responseCodeName } from '@apogee/remoting';

export const ExitStatus = { OK: 0, FAILED: 1, USAGE: 2 } as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** The operation failed for a reason worth one clear sentence. */
export class CommandFailedError extends ApogeeError {
  readonly exitStatus: ExitStatus = ExitStatus.FAILED;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The command line itself is wrong. */
export class UsageError extends ApogeeError {
  readonly exitStatus: ExitStatus = ExitStatus.USAGE;
}

/** One line that tells an operator what went wrong, without a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof MQBrokerError) {
    const remark = err.remark === '' ? '' : `: ${err.remark}`;
    return `${err.brokerAddr} answered ${responseCodeName(err.responseCode)} (${err.responseCode})${remark}`;
  }
  if (err instanceof MQClientError || err instanceof ApogeeError) {
    const cause = err.cause instanceof Error && !err.message.includes(err.cause.message) ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export function exitStatusOf(err: unknown): ExitStatus {
  if (err instanceof UsageError || err instanceof CommandFailedError) return err.exitStatus;
  return ExitStatus.FAILED;
}
