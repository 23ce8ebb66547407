// RemotingClient: one connection per server address, opened on first use and shared by every
// call to that address (concurrent first calls wait on the same connect). Requests are matched
// to responses by opaque per connection. A connection that is lost fails its pending requests at
// once (RemotingClosedError) and the next call to that address connects again. The server may
// send requests over the same connection; registerProcessor() answers them.

import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createLogger, type Logger } from '@apogee/common';
import type { RPCHook } from '../acl/rpc-hook.js';
import { RemotingClosedError, RemotingConnectError, RemotingSendRequestError, RemotingTimeoutError, RemotingTooMuchRequestError, type RemotingError } from '../errors.js';
import { checkFrameLimits, DEFAULT_FRAME_LIMITS, type FrameLimits } from '../limits.js';
import { SerializeType, type RemotingCommand } from '../protocol/remoting-command.js';
import { parseAddress } from './channel.js';
import { ChannelEventListeners, type ChannelEventName, type ChannelEvents } from './channel-events.js';
import { Connection, type ConnectionHandler, type ConnectionOptions } from './connection.js';
import { deliverLater, invokeAsPromise, nonNegativeInt, onewayAsPromise, positiveInt, validateTimeoutMs } from './invoke-helpers.js';
import { RequestDispatcher } from './request-dispatcher.js';
import type { InvokeCallback, RequestProcessor } from './request-processor.js';
import {
  CHANNEL_REQUESTS_IN_FLIGHT_MAX,
  CLIENT_ONEWAY_IN_FLIGHT_MAX,
  CONNECT_TIMEOUT_MS_DEFAULT,
  IDLE_TIMEOUT_MS_DEFAULT,
  PENDING_REQUESTS_MAX,
  REQUESTS_IN_FLIGHT_MAX,
  SHUTDOWN_GRACE_MS_DEFAULT,
} from './transport-limits.js';

/** See RemotingClientOptions.serializeType. */
export const DEFAULT_CLIENT_SERIALIZE_TYPE: SerializeType = SerializeType.ROCKETMQ;

export interface RemotingClientOptions {
  /**
   * Header encoding of the requests this client sends. Default ROCKETMQ (binary): real RocketMQ 4.9
   * and 5.x brokers accept it and it encodes+decodes ~1.7x faster than JSON with 20-30% fewer
   * header bytes (bench/RESULTS.md, `pnpm -C bench run codec`). MSGPACK only Apogee understands.
   */
  readonly serializeType?: SerializeType;
  /** Default 3_000 (connectTimeoutMillis). */
  readonly connectTimeoutMs?: number;
  /** Close connections with no traffic and nothing pending for this long; 0 disables. Default 120_000. */
  readonly idleTimeoutMs?: number;
  /** Runs before every request and after every response (ACL signing). */
  readonly rpcHook?: RPCHook;
  readonly limits?: FrameLimits;
  /** Requests awaiting responses per connection. Default 65_535 (clientAsyncSemaphoreValue). */
  readonly pendingRequestsMax?: number;
  /** Oneway requests not yet flushed per connection. Default 65_535 (clientOnewaySemaphoreValue). */
  readonly onewayInFlightMax?: number;
  /** Server-initiated requests being processed, whole client / per connection. */
  readonly requestsInFlightMax?: number;
  readonly channelRequestsInFlightMax?: number;
  /** How long shutdown() lets processors of server requests finish. Default 5_000. */
  readonly shutdownGraceMs?: number;
  readonly logger?: Logger;
}

type ConnectionUser = (error: RemotingError | null, connection: Connection | undefined) => void;

interface ConnectAttempt {
  readonly socket: Socket;
  readonly waiters: Set<ConnectWaiter>;
  timer: NodeJS.Timeout | undefined;
}

interface ConnectWaiter {
  timer: NodeJS.Timeout | undefined;
  readonly use: ConnectionUser;
}

export class RemotingClient {
  private readonly serializeType: SerializeType;
  private readonly connectTimeoutMs: number;
  private readonly onewayInFlightMax: number;
  private readonly shutdownGraceMs: number;
  private readonly rpcHook: RPCHook | undefined;
  private readonly logger: Logger;
  private readonly connectionOptions: ConnectionOptions;
  private readonly events: ChannelEventListeners;
  private readonly dispatcher: RequestDispatcher;
  private readonly connections = new Map<string, Connection>();
  private readonly connecting = new Map<string, ConnectAttempt>();
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: RemotingClientOptions = {}) {
    this.serializeType = options.serializeType ?? DEFAULT_CLIENT_SERIALIZE_TYPE;
    this.connectTimeoutMs = positiveInt('connectTimeoutMs', options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS_DEFAULT);
    this.onewayInFlightMax = positiveInt('onewayInFlightMax', options.onewayInFlightMax ?? CLIENT_ONEWAY_IN_FLIGHT_MAX);
    this.shutdownGraceMs = nonNegativeInt('shutdownGraceMs', options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS_DEFAULT);
    this.rpcHook = options.rpcHook;
    this.logger = options.logger ?? createLogger('remoting-client');
    const limits = options.limits ?? DEFAULT_FRAME_LIMITS;
    checkFrameLimits(limits);
    this.connectionOptions = {
      limits,
      idleTimeoutMs: nonNegativeInt('idleTimeoutMs', options.idleTimeoutMs ?? IDLE_TIMEOUT_MS_DEFAULT),
      pendingRequestsMax: positiveInt('pendingRequestsMax', options.pendingRequestsMax ?? PENDING_REQUESTS_MAX),
      pauseReadsOnBackpressure: false,
      logger: this.logger,
    };
    this.events = new ChannelEventListeners(this.logger);
    this.dispatcher = new RequestDispatcher(
      {
        requestsInFlightMax: positiveInt('requestsInFlightMax', options.requestsInFlightMax ?? REQUESTS_IN_FLIGHT_MAX),
        channelRequestsInFlightMax: positiveInt('channelRequestsInFlightMax', options.channelRequestsInFlightMax ?? CHANNEL_REQUESTS_IN_FLIGHT_MAX),
      },
      this.logger,
    );
  }

  /** Answers requests the server sends over this client's connections. */
  registerProcessor(code: number, processor: RequestProcessor): void {
    this.dispatcher.registerProcessor(code, processor);
  }

  registerDefaultProcessor(processor: RequestProcessor): void {
    this.dispatcher.registerDefaultProcessor(processor);
  }

  on<K extends ChannelEventName>(event: K, listener: ChannelEvents[K]): this {
    this.events.on(event, listener);
    return this;
  }

  off<K extends ChannelEventName>(event: K, listener: ChannelEvents[K]): this {
    this.events.off(event, listener);
    return this;
  }

  /** True if a connection to `addr` is open now. */
  isConnected(addr: string): boolean {
    return this.connections.get(addr)?.isActive === true;
  }

  /** Requests to `addr` waiting for a response (0 when not connected). */
  pendingRequestCount(addr: string): number {
    return this.connections.get(addr)?.pendingCount ?? 0;
  }

  /**
   * Send `request` to `addr` and resolve with the response, whatever its code. Rejects with
   * RemotingTimeoutError, RemotingConnectError (RemotingClosedError if the connection was lost),
   * RemotingSendRequestError or RemotingTooMuchRequestError. `timeoutMs` covers the connect too.
   */
  invokeSync(addr: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return invokeAsPromise((callback) => this.invokeAsync(addr, request, timeoutMs, callback));
  }

  /** invokeSync with a callback, called exactly once and never inside this call. */
  invokeAsync(addr: string, request: RemotingCommand, timeoutMs: number, callback: InvokeCallback): void {
    validateTimeoutMs(timeoutMs);
    if (this.shutdownPromise !== undefined) {
      deliverLater(callback, new RemotingClosedError(addr, 'client is shut down'));
      return;
    }
    const connection = this.connections.get(addr);
    if (connection !== undefined && connection.isActive) {
      this.sendRequest(connection, addr, request, timeoutMs, callback);
      return;
    }
    const startMs = performance.now();
    this.withNewConnection(addr, timeoutMs, (error, connected) => {
      if (error !== null || connected === undefined) {
        callback({ ok: false, error: error ?? new RemotingConnectError(addr) });
        return;
      }
      const remainingMs = Math.floor(timeoutMs - (performance.now() - startMs));
      if (remainingMs < 1) {
        callback({ ok: false, error: new RemotingTimeoutError(addr, 0, timeoutMs, `invoke ${addr} timeout: ${timeoutMs} ms spent connecting`) });
        return;
      }
      this.sendRequest(connected, addr, request, remainingMs, callback, timeoutMs);
    });
  }

  /** Send a oneway request; resolves once its bytes are flushed to the socket. */
  async invokeOneway(addr: string, request: RemotingCommand, timeoutMs: number): Promise<void> {
    validateTimeoutMs(timeoutMs);
    if (this.shutdownPromise !== undefined) throw new RemotingClosedError(addr, 'client is shut down');
    const startMs = performance.now();
    const connection = await this.connectionFor(addr, timeoutMs);
    const remainingMs = Math.floor(timeoutMs - (performance.now() - startMs));
    if (remainingMs < 1) throw new RemotingTimeoutError(addr, 0, timeoutMs, `oneway to ${addr} timeout: ${timeoutMs} ms spent connecting`);
    if (connection.onewayUnflushedCount >= this.onewayInFlightMax) {
      throw new RemotingTooMuchRequestError(this.onewayInFlightMax, `oneway requests in flight to ${addr} reached ${this.onewayInFlightMax}`);
    }
    const hookError = this.prepare(addr, request);
    if (hookError !== null) throw hookError;
    connection.onewayUnflushedCount++;
    try {
      await onewayAsPromise(connection, request, remainingMs);
    } finally {
      connection.onewayUnflushedCount--;
    }
  }

  /** Close the connection to `addr` (if any); its pending requests fail with RemotingClosedError. */
  async closeChannel(addr: string): Promise<void> {
    const connection = this.connections.get(addr);
    if (connection === undefined) return;
    connection.close('closed by client');
    await connection.closed;
  }

  /** Idempotent: refuse new calls, let server-request processors finish (bounded), close everything. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  private async doShutdown(): Promise<void> {
    this.dispatcher.stopAccepting();
    for (const [addr, attempt] of this.connecting) this.failConnect(addr, attempt, new RemotingClosedError(addr, 'client is shut down'));
    const drained = await this.dispatcher.drain(this.shutdownGraceMs);
    if (!drained) this.logger.warn({ requestsInFlight: this.dispatcher.requestsInFlight }, 'shutdown: processors still running; closing connections anyway');
    const closes: Array<Promise<void>> = [];
    for (const connection of this.connections.values()) {
      connection.close('client is shut down');
      closes.push(connection.closed);
    }
    await Promise.all(closes);
  }

  private sendRequest(connection: Connection, addr: string, request: RemotingCommand, timeoutMs: number, callback: InvokeCallback, callerTimeoutMs = timeoutMs): void {
    const hookError = this.prepare(addr, request);
    if (hookError !== null) {
      deliverLater(callback, hookError);
      return;
    }
    const hook = this.rpcHook;
    const done: InvokeCallback =
      hook === undefined
        ? callback
        : (result) => {
            if (result.ok) {
              try {
                hook.doAfterResponse(addr, request, result.response);
              } catch (err) {
                this.logger.error({ err, addr }, 'rpcHook.doAfterResponse threw');
              }
            }
            callback(result);
          };
    const error = connection.request(request, timeoutMs, done, callerTimeoutMs);
    if (error !== null) deliverLater(callback, error);
  }

  /** Pick the header encoding and run the before-request hook (signing sees the final fields). */
  private prepare(addr: string, request: RemotingCommand): RemotingError | null {
    // The encoder itself falls back to JSON for codes a ROCKETMQ header cannot carry.
    request.serializeType = this.serializeType;
    if (this.rpcHook === undefined) return null;
    try {
      this.rpcHook.doBeforeRequest(addr, request);
      return null;
    } catch (err) {
      return new RemotingSendRequestError(addr, `rpcHook.doBeforeRequest failed for ${addr}`, { cause: err });
    }
  }

  private connectionFor(addr: string, timeoutMs: number): Promise<Connection> {
    const existing = this.connections.get(addr);
    if (existing !== undefined && existing.isActive) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      this.withNewConnection(addr, timeoutMs, (error, connection) => {
        if (connection !== undefined) resolve(connection);
        else reject(error ?? new RemotingConnectError(addr));
      });
    });
  }

  /** Calls `use` once, asynchronously, with a fresh connection to `addr` or the reason there is none. */
  private withNewConnection(addr: string, waitMs: number, use: ConnectionUser): void {
    let attempt = this.connecting.get(addr);
    if (attempt === undefined) {
      const started = this.startConnect(addr);
      if (started instanceof Error) {
        process.nextTick(use, started, undefined);
        return;
      }
      attempt = started;
    }
    // Calls waiting for a connect count against the same bound as requests on a connection.
    const limit = this.connectionOptions.pendingRequestsMax;
    if (attempt.waiters.size >= limit) {
      process.nextTick(use, new RemotingTooMuchRequestError(limit, `calls waiting for a connection to ${addr} reached ${limit}`), undefined);
      return;
    }
    const waiter: ConnectWaiter = { timer: undefined, use };
    // The attempt's own connect timeout ends waits that are at least as long.
    if (waitMs < this.connectTimeoutMs) {
      const owner = attempt;
      waiter.timer = setTimeout(() => {
        owner.waiters.delete(waiter);
        use(new RemotingTimeoutError(addr, 0, waitMs, `invoke ${addr} timeout: not connected within ${waitMs} ms`), undefined);
      }, waitMs);
      waiter.timer.unref();
    }
    attempt.waiters.add(waiter);
  }

  private startConnect(addr: string): ConnectAttempt | RemotingError {
    const parsed = parseAddress(addr);
    if (!parsed.ok) return new RemotingConnectError(addr, `connect to ${addr} failed: ${parsed.reason}`);
    const socket = netConnect({ host: parsed.host, port: parsed.port, noDelay: true });
    const attempt: ConnectAttempt = { socket, waiters: new Set(), timer: undefined };
    this.connecting.set(addr, attempt);
    attempt.timer = setTimeout(() => {
      this.failConnect(addr, attempt, new RemotingConnectError(addr, `connect to ${addr} timed out after ${this.connectTimeoutMs} ms`));
    }, this.connectTimeoutMs);
    attempt.timer.unref();
    const onError = (err: Error): void => {
      this.failConnect(addr, attempt, new RemotingConnectError(addr, `connect to ${addr} failed: ${err.message}`, { cause: err }));
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      this.finishConnect(addr, attempt);
    });
    return attempt;
  }

  private finishConnect(addr: string, attempt: ConnectAttempt): void {
    clearTimeout(attempt.timer);
    this.connecting.delete(addr);
    const connection = new Connection(attempt.socket, this.connectionOptions, this.handlerFor(addr));
    this.connections.set(addr, connection);
    this.logger.debug({ addr, local: connection.localAddress, id: connection.id }, 'connected');
    this.events.emit('channelOpen', connection);
    for (const waiter of attempt.waiters) {
      clearTimeout(waiter.timer);
      waiter.use(null, connection);
    }
    attempt.waiters.clear();
  }

  private failConnect(addr: string, attempt: ConnectAttempt, error: RemotingError): void {
    if (this.connecting.get(addr) !== attempt) return;
    this.connecting.delete(addr);
    clearTimeout(attempt.timer);
    attempt.socket.destroy();
    this.logger.debug({ addr, reason: error.message }, 'connect failed');
    const waiters = [...attempt.waiters];
    attempt.waiters.clear();
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.use(error, undefined);
    }
  }

  private handlerFor(addr: string): ConnectionHandler {
    return {
      onRequest: (connection, request) => this.dispatcher.dispatch(connection, request),
      onIdle: (connection) => {
        // A request waiting for a long-polling answer keeps its connection.
        if (connection.isBusy) return;
        this.logger.debug({ addr }, 'channel idle; closing');
        this.events.emit('channelIdle', connection);
        connection.close('idle');
      },
      onInvalidFrame: (connection, reason) => this.events.emit('invalidFrame', connection, reason),
      onClose: (connection, reason) => {
        if (this.connections.get(addr) === connection) this.connections.delete(addr);
        this.logger.debug({ addr, reason }, 'channel closed');
        this.events.emit('channelClose', connection, reason);
      },
    };
  }
}
