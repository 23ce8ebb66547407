// Small pieces shared by RemotingServer and RemotingClient: callback-to-promise adapters for
// invokes, and checks of caller-supplied numbers.

import { InvalidArgumentError } from '@apogee/common';
import { RemotingSendRequestError, RemotingTimeoutError, type RemotingError } from '../errors.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import type { Connection } from './connection.js';
import type { InvokeCallback } from './request-processor.js';
import { TIMEOUT_MS_MAX } from './transport-limits.js';

export function invokeAsPromise(start: (callback: InvokeCallback) => void): Promise<RemotingCommand> {
  return new Promise((resolve, reject) => {
    start((result) => (result.ok ? resolve(result.response) : reject(result.error)));
  });
}

/** Callbacks never run inside the call that registered them. */
export function deliverLater(callback: InvokeCallback, error: RemotingError): void {
  process.nextTick(callback, { ok: false, error });
}

/**
 * Write a oneway request and settle once its bytes reach the kernel: RemotingSendRequestError if
 * the write fails, RemotingTimeoutError if it is still not flushed after `timeoutMs` (a peer that
 * stopped reading).
 */
export function onewayAsPromise(connection: Connection, request: RemotingCommand, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let isSettled = false;
    const timer = setTimeout(() => {
      isSettled = true;
      reject(new RemotingTimeoutError(connection.remoteAddress, request.opaque, timeoutMs, `oneway request to ${connection.remoteAddress} not flushed within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    const error = connection.oneway(request, (writeError) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      if (writeError === null || writeError === undefined) resolve();
      else reject(new RemotingSendRequestError(connection.remoteAddress, `oneway request to ${connection.remoteAddress} failed: ${writeError.message}`, { cause: writeError }));
    });
    if (error !== null) {
      isSettled = true;
      clearTimeout(timer);
      reject(error);
    }
  });
}

export function validateTimeoutMs(timeoutMs: number): void {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > TIMEOUT_MS_MAX) {
    throw new InvalidArgumentError('timeoutMs', `timeoutMs must be in 1..${TIMEOUT_MS_MAX}, got ${timeoutMs}`);
  }
}

export function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${value}`);
  return value;
}

export function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(name, `${name} must be a non-negative integer, got ${value}`);
  return value;
}
