// Routes requests that arrive on a connection to the processor registered for their code, and
// writes the answer, following RocketMQ's generic server rules (NettyRemotingAbstract):
//   unknown code                 -> REQUEST_CODE_NOT_SUPPORTED " request type <code> not supported"
//   rejectRequest() true         -> SYSTEM_BUSY "[REJECTREQUEST]system busy, ..."
//   in-flight bound reached      -> SYSTEM_BUSY "[OVERLOAD]system busy, ..."
//   processor throws / rejects   -> SYSTEM_ERROR with the error's text
//   oneway request               -> processed, never answered
// The response gets the request's opaque and the response bit; the processor built it in the
// request's serialize type with createResponseCommand(request, ...).
// Used by RemotingServer (client requests) and RemotingClient (server-initiated requests).

import type { Logger } from '@apogee/common';
import { createResponseCommand, isOneway, RPC_TYPE_RESPONSE_BIT, type RemotingCommand } from '../protocol/remoting-command.js';
import { ResponseCode } from '../protocol/response-code.js';
import type { Connection } from './connection.js';
import type { RequestContext, RequestProcessor } from './request-processor.js';

export const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';
export const OVERLOAD_REMARK = '[OVERLOAD]system busy, start flow control for a while';
export const SHUTTING_DOWN_REMARK = '[REJECTREQUEST]system busy, server is shutting down';

/** At most one "dropped oneway request" warning per interval, so a flood cannot flood the log. */
const DROP_LOG_INTERVAL_MS = 1_000;

export interface DispatcherLimits {
  /** Requests being processed across all connections. */
  readonly requestsInFlightMax: number;
  /** Requests being processed on one connection. */
  readonly channelRequestsInFlightMax: number;
}

export class RequestDispatcher {
  private readonly processors = new Map<number, RequestProcessor>();
  private defaultProcessor: RequestProcessor | undefined;
  private inFlight = 0;
  private isAccepting = true;
  private drainWaiters: Array<() => void> = [];
  private lastDropLogMs = 0;

  constructor(
    private readonly limits: DispatcherLimits,
    private readonly logger: Logger,
  ) {}

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processors.set(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.defaultProcessor = processor;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** From now on every new request is answered SYSTEM_BUSY (oneway ones are dropped). */
  stopAccepting(): void {
    this.isAccepting = false;
  }

  /** Resolves true when no processor is running, or false once `timeoutMs` has passed. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.drainWaiters.push(waiter);
    });
  }

  dispatch(connection: Connection, request: RemotingCommand): void {
    const processor = this.processors.get(request.code) ?? this.defaultProcessor;
    if (processor === undefined) {
      this.logger.debug({ peer: connection.remoteAddress, code: request.code }, 'request code not supported');
      this.reject(connection, request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
      return;
    }
    if (!this.isAccepting) {
      this.reject(connection, request, ResponseCode.SYSTEM_BUSY, SHUTTING_DOWN_REMARK);
      return;
    }
    let isRejected: boolean;
    try {
      isRejected = processor.rejectRequest?.() === true;
    } catch (err) {
      this.respond(connection, request, this.errorResponse(connection, request, err));
      return;
    }
    if (isRejected) {
      this.reject(connection, request, ResponseCode.SYSTEM_BUSY, REJECT_REQUEST_REMARK);
      return;
    }
    if (this.inFlight >= this.limits.requestsInFlightMax || connection.processingCount >= this.limits.channelRequestsInFlightMax) {
      this.reject(connection, request, ResponseCode.SYSTEM_BUSY, OVERLOAD_REMARK);
      return;
    }
    this.run(connection, request, processor);
  }

  private run(connection: Connection, request: RemotingCommand, processor: RequestProcessor): void {
    this.inFlight++;
    connection.processingCount++;
    const ctx: RequestContext = { channel: connection };
    let result: ReturnType<RequestProcessor['process']>;
    try {
      result = processor.process(ctx, request);
    } catch (err) {
      this.finish(connection, request, this.errorResponse(connection, request, err));
      return;
    }
    if (isPromiseLike(result)) {
      result.then(
        (response) => this.finish(connection, request, response),
        (err: unknown) => this.finish(connection, request, this.errorResponse(connection, request, err)),
      );
    } else {
      this.finish(connection, request, result);
    }
  }

  private finish(connection: Connection, request: RemotingCommand, response: RemotingCommand | null): void {
    this.inFlight--;
    connection.processingCount--;
    try {
      this.respond(connection, request, response);
    } finally {
      if (this.inFlight === 0 && this.drainWaiters.length > 0) {
        const waiters = this.drainWaiters;
        this.drainWaiters = [];
        for (const waiter of waiters) waiter();
      }
    }
  }

  private errorResponse(connection: Connection, request: RemotingCommand, err: unknown): RemotingCommand {
    this.logger.error({ err, peer: connection.remoteAddress, code: request.code, opaque: request.opaque }, 'processor failed');
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, describeError(err));
  }

  private reject(connection: Connection, request: RemotingCommand, code: number, remark: string): void {
    if (isOneway(request)) {
      this.logDroppedOneway(connection, request, remark);
      return;
    }
    this.respond(connection, request, createResponseCommand(request, code, remark));
  }

  private respond(connection: Connection, request: RemotingCommand, response: RemotingCommand | null): void {
    if (response === null || isOneway(request)) return;
    response.opaque = request.opaque;
    response.flag |= RPC_TYPE_RESPONSE_BIT;
    if (!connection.isActive) {
      this.logger.debug({ peer: connection.remoteAddress, code: request.code, opaque: request.opaque }, 'response dropped: channel closed');
      return;
    }
    const error = connection.write(response);
    if (error === null) return;
    // Most likely a header the encoder refused (too large); the caller still deserves an answer.
    this.logger.error({ err: error, peer: connection.remoteAddress, code: request.code }, 'writing response failed');
    const fallback = createResponseCommand(request, ResponseCode.SYSTEM_ERROR, `encode response failed: ${describeError(error.cause ?? error)}`);
    fallback.flag |= RPC_TYPE_RESPONSE_BIT;
    connection.write(fallback);
  }

  private logDroppedOneway(connection: Connection, request: RemotingCommand, remark: string): void {
    const nowMs = Date.now();
    if (nowMs - this.lastDropLogMs < DROP_LOG_INTERVAL_MS) return;
    this.lastDropLogMs = nowMs;
    this.logger.warn({ peer: connection.remoteAddress, code: request.code, remark }, 'oneway request dropped');
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Like Java's exceptionSimpleDesc: the error's class and message. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
