// Wait on a condition, not on time: polls `condition` until it holds or `timeoutMs` passes.

import { ApogeeError } from '@apogee/common';

export interface WaitForOptions {
  /** Default 5_000. */
  readonly timeoutMs?: number;
  /** Poll interval; default 5. */
  readonly intervalMs?: number;
  /** Says what was awaited, in the timeout error. */
  readonly message?: string;
}

export class WaitForTimeoutError extends ApogeeError {
  constructor(
    readonly timeoutMs: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Resolves once `condition()` returns true; rejects with WaitForTimeoutError after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitForOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const intervalMs = options.intervalMs ?? 5;
  const deadlineMs = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadlineMs) {
      const what = options.message ?? 'condition';
      throw new WaitForTimeoutError(timeoutMs, `${what} not met within ${timeoutMs} ms`, lastError === undefined ? undefined : { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
  }
}
