// A bounded retry loop driven by retryClassOf(). The body learns which attempt it is and why the
// previous one failed, so it can switch brokers or refresh a route itself; the loop only decides
// whether to go on and how long to wait (only 'afterBackoff' waits). A deadline bounds the whole
// loop, the way sendMsgTimeout covers every attempt of a send.

import { ApogeeError, type Clock, InvalidArgumentError, systemClock } from '@apogee/common';
import { type RetryClass, retryClassOf } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included; at least 1. */
  readonly attemptsMax: number;
  /** Wait before the first 'afterBackoff' retry, in ms; doubled per retry up to backoffMsMax. */
  readonly backoffMsInitial: number;
  readonly backoffMsMax: number;
  /** Monotonic time (clock.monotonicMs()) after which no attempt starts. */
  readonly deadlineMonotonicMs?: number;
  readonly clock?: Clock;
  /** Decides the class of an error; default retryClassOf. */
  readonly classify?: (err: unknown) => RetryClass;
}

export interface RetryAttempt {
  /** 0 for the first attempt. */
  readonly index: number;
  readonly lastError: unknown;
  /** Class of lastError; undefined on the first attempt. */
  readonly lastRetryClass: RetryClass | undefined;
  /** Time left before the deadline, in ms (Infinity without one). */
  readonly remainingMs: number;
}

/** Thrown when the deadline passed before an attempt could start; `cause` is the last failure. */
export class RetryDeadlineError extends ApogeeError {
  constructor(
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`deadline passed after ${attempts} attempt(s)`, options);
  }
}

/**
 * Runs `fn` until it resolves, its error is of class 'never', attempts run out or the deadline
 * passes. Rejects with the last error (or RetryDeadlineError when no attempt could start).
 */
export async function retry<T>(options: RetryOptions, fn: (attempt: RetryAttempt) => Promise<T>): Promise<T> {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const classify = options.classify ?? retryClassOf;
  let lastError: unknown;
  let lastRetryClass: RetryClass | undefined;
  let backoffMs = options.backoffMsInitial;
  for (let index = 0; index < options.attemptsMax; index++) {
    const remainingMs = options.deadlineMonotonicMs === undefined ? Infinity : options.deadlineMonotonicMs - clock.monotonicMs();
    if (remainingMs <= 0) {
      if (index === 0) throw new RetryDeadlineError(0);
      throw lastError;
    }
    try {
      return await fn({ index, lastError, lastRetryClass, remainingMs });
    } catch (err) {
      lastError = err;
      lastRetryClass = classify(err);
      if (lastRetryClass === 'never' || index + 1 >= options.attemptsMax) throw err;
      if (lastRetryClass === 'afterBackoff') {
        const left = options.deadlineMonotonicMs === undefined ? backoffMs : Math.min(backoffMs, options.deadlineMonotonicMs - clock.monotonicMs());
        if (left > 0) await sleepMs(left);
        backoffMs = Math.min(backoffMs * 2, options.backoffMsMax);
      }
    }
  }
  throw lastError;
}

function checkOptions(options: RetryOptions): void {
  if (!Number.isInteger(options.attemptsMax) || options.attemptsMax < 1) {
    throw new InvalidArgumentError('attemptsMax', `attemptsMax ${options.attemptsMax} must be an integer >= 1`);
  }
  if (!(options.backoffMsInitial >= 0) || !(options.backoffMsMax >= options.backoffMsInitial)) {
    throw new InvalidArgumentError('backoffMsInitial', `backoff ${options.backoffMsInitial}..${options.backoffMsMax} ms is not a valid range`);
  }
}

/** An unref'd wait: it never keeps the process alive by itself. */
export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
  });
}
