// RemotingServer: accepts remoting connections (node:net), hands each request to the processor
// registered for its code, and can send requests of its own to a connected client
// (CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED, ...) over that client's connection.
//
// A bad frame closes only the connection that sent it. Idle connections are closed after
// idleTimeoutMs. shutdown() stops accepting, lets running processors finish for up to
// shutdownGraceMs, then closes every connection.

import { createServer, type Server, type Socket } from 'node:net';
import { assert, createLogger, InvalidArgumentError, type Logger } from '@apogee/common';
import { RemotingClosedError, RemotingTooMuchRequestError, type RemotingError } from '../errors.js';
import { checkFrameLimits, DEFAULT_FRAME_LIMITS, type FrameLimits } from '../limits.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import type { Channel } from './channel.js';
import { ChannelEventListeners, type ChannelEventName, type ChannelEvents } from './channel-events.js';
import { Connection, type ConnectionHandler } from './connection.js';
import { RequestDispatcher } from './request-dispatcher.js';
import type { InvokeCallback, RequestProcessor } from './request-processor.js';
import { deliverLater, invokeAsPromise, nonNegativeInt, onewayAsPromise, positiveInt, validateTimeoutMs } from './invoke-helpers.js';
import {
  CHANNEL_REQUESTS_IN_FLIGHT_MAX,
  IDLE_TIMEOUT_MS_DEFAULT,
  PENDING_REQUESTS_MAX,
  REQUESTS_IN_FLIGHT_MAX,
  SERVER_ASYNC_IN_FLIGHT_MAX,
  SERVER_ONEWAY_IN_FLIGHT_MAX,
  SHUTDOWN_GRACE_MS_DEFAULT,
} from './transport-limits.js';

export interface RemotingServerOptions {
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 0: an ephemeral port, read it from `port` after start(). */
  readonly port?: number;
  readonly limits?: FrameLimits;
  /** Close connections with no traffic for this long; 0 disables. Default 120_000. */
  readonly idleTimeoutMs?: number;
  /** Server-initiated invokeAsync requests awaiting responses. Default 64 (serverAsyncSemaphoreValue). */
  readonly asyncInFlightMax?: number;
  /** Server-initiated oneway requests not yet flushed. Default 256 (serverOnewaySemaphoreValue). */
  readonly onewayInFlightMax?: number;
  /** Incoming requests being processed, whole server. Default REQUESTS_IN_FLIGHT_MAX. */
  readonly requestsInFlightMax?: number;
  /** Incoming requests being processed, per connection. Default CHANNEL_REQUESTS_IN_FLIGHT_MAX. */
  readonly channelRequestsInFlightMax?: number;
  /** Server-initiated requests awaiting responses, per connection. Default PENDING_REQUESTS_MAX. */
  readonly pendingRequestsMax?: number;
  /** How long shutdown() lets running processors finish. Default 5_000. */
  readonly shutdownGraceMs?: number;
  readonly logger?: Logger;
}

type ServerState = 'new' | 'starting' | 'running' | 'stopped';

export class RemotingServer {
  private readonly host: string;
  private readonly requestedPort: number;
  private readonly limits: FrameLimits;
  private readonly idleTimeoutMs: number;
  private readonly asyncInFlightMax: number;
  private readonly onewayInFlightMax: number;
  private readonly pendingRequestsMax: number;
  private readonly shutdownGraceMs: number;
  private readonly logger: Logger;
  private readonly events: ChannelEventListeners;
  private readonly dispatcher: RequestDispatcher;
  private readonly connections = new Map<number, Connection>();
  private readonly server: Server;
  private state: ServerState = 'new';
  private boundPort = 0;
  private asyncInFlight = 0;
  private onewayInFlight = 0;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: RemotingServerOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.limits = options.limits ?? DEFAULT_FRAME_LIMITS;
    checkFrameLimits(this.limits);
    this.idleTimeoutMs = nonNegativeInt('idleTimeoutMs', options.idleTimeoutMs ?? IDLE_TIMEOUT_MS_DEFAULT);
    this.asyncInFlightMax = positiveInt('asyncInFlightMax', options.asyncInFlightMax ?? SERVER_ASYNC_IN_FLIGHT_MAX);
    this.onewayInFlightMax = positiveInt('onewayInFlightMax', options.onewayInFlightMax ?? SERVER_ONEWAY_IN_FLIGHT_MAX);
    this.pendingRequestsMax = positiveInt('pendingRequestsMax', options.pendingRequestsMax ?? PENDING_REQUESTS_MAX);
    this.shutdownGraceMs = nonNegativeInt('shutdownGraceMs', options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS_DEFAULT);
    if (!Number.isInteger(this.requestedPort) || this.requestedPort < 0 || this.requestedPort > 65_535) {
      throw new InvalidArgumentError('port', `port ${this.requestedPort} is not in 0..65535`);
    }
    this.logger = options.logger ?? createLogger('remoting-server');
    this.events = new ChannelEventListeners(this.logger);
    this.dispatcher = new RequestDispatcher(
      {
        requestsInFlightMax: positiveInt('requestsInFlightMax', options.requestsInFlightMax ?? REQUESTS_IN_FLIGHT_MAX),
        channelRequestsInFlightMax: positiveInt('channelRequestsInFlightMax', options.channelRequestsInFlightMax ?? CHANNEL_REQUESTS_IN_FLIGHT_MAX),
      },
      this.logger,
    );
    this.server = createServer({ noDelay: true }, this.onSocket);
    this.server.on('error', (err) => this.logger.error({ err }, 'server socket error'));
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.dispatcher.registerProcessor(code, processor);
  }

  /** Answers every code without a processor of its own (instead of REQUEST_CODE_NOT_SUPPORTED). */
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

  /** The bound port; valid after start() resolved. */
  get port(): number {
    assert(this.state === 'running' || this.state === 'stopped', 'RemotingServer.port read before start()');
    return this.boundPort;
  }

  /** Open connections, for diagnostics and tests. */
  get channels(): readonly Channel[] {
    return [...this.connections.values()];
  }

  /** Incoming requests whose processor has not finished. */
  get requestsInFlight(): number {
    return this.dispatcher.requestsInFlight;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new InvalidArgumentError('state', `RemotingServer cannot start in state ${this.state}`);
    this.state = 'starting';
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host: this.host, port: this.requestedPort }, () => {
        this.server.off('error', onError);
        resolve();
      });
    }).catch((err: unknown) => {
      this.state = 'stopped';
      throw err;
    });
    const address = this.server.address();
    assert(address !== null && typeof address === 'object', 'listening server has no address');
    this.boundPort = address.port;
    this.state = 'running';
    this.logger.info({ host: this.host, port: this.boundPort }, 'remoting server listening');
  }

  /** Send a request to a connected client and resolve with its response, whatever its code. */
  invokeSync(channel: Channel, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return invokeAsPromise((callback) => this.invokeAsync(channel, request, timeoutMs, callback));
  }

  /** Like invokeSync with a callback; bounded by asyncInFlightMax across the server. */
  invokeAsync(channel: Channel, request: RemotingCommand, timeoutMs: number, callback: InvokeCallback): void {
    validateTimeoutMs(timeoutMs);
    if (this.asyncInFlight >= this.asyncInFlightMax) {
      deliverLater(callback, new RemotingTooMuchRequestError(this.asyncInFlightMax, `server async requests in flight reached ${this.asyncInFlightMax}`));
      return;
    }
    const connection = this.connectionOf(channel);
    if (connection instanceof Error) {
      deliverLater(callback, connection);
      return;
    }
    this.asyncInFlight++;
    const error = connection.request(request, timeoutMs, (result) => {
      this.asyncInFlight--;
      callback(result);
    });
    if (error !== null) {
      this.asyncInFlight--;
      deliverLater(callback, error);
    }
  }

  /** Send a oneway request; resolves once written to the socket. Bounded by onewayInFlightMax. */
  async invokeOneway(channel: Channel, request: RemotingCommand, timeoutMs: number): Promise<void> {
    validateTimeoutMs(timeoutMs);
    if (this.onewayInFlight >= this.onewayInFlightMax) {
      throw new RemotingTooMuchRequestError(this.onewayInFlightMax, `server oneway requests in flight reached ${this.onewayInFlightMax}`);
    }
    const connection = this.connectionOf(channel);
    if (connection instanceof Error) throw connection;
    this.onewayInFlight++;
    try {
      await onewayAsPromise(connection, request, timeoutMs);
    } finally {
      this.onewayInFlight--;
    }
  }

  /** Graceful and idempotent: stop accepting, drain processors (bounded), close connections. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  private async doShutdown(): Promise<void> {
    const wasListening = this.state === 'running' || this.state === 'starting';
    this.state = 'stopped';
    this.dispatcher.stopAccepting();
    const serverClosed = wasListening ? new Promise<void>((resolve) => this.server.close(() => resolve())) : Promise.resolve();
    const drained = await this.dispatcher.drain(this.shutdownGraceMs);
    if (!drained) {
      this.logger.warn({ requestsInFlight: this.dispatcher.requestsInFlight, graceMs: this.shutdownGraceMs }, 'shutdown: processors still running; closing connections anyway');
    }
    const closes: Array<Promise<void>> = [];
    for (const connection of this.connections.values()) {
      connection.close('server shutdown');
      closes.push(connection.closed);
    }
    await Promise.all(closes);
    await serverClosed;
    this.logger.info({ port: this.boundPort }, 'remoting server stopped');
  }

  private connectionOf(channel: Channel): Connection | RemotingError {
    const connection = this.connections.get(channel.id);
    if (connection === undefined || connection !== channel) {
      return new RemotingClosedError(channel.remoteAddress, `channel ${channel.id} is not open on this server`);
    }
    return connection;
  }

  private readonly onSocket = (socket: Socket): void => {
    if (this.state !== 'running') {
      socket.destroy();
      return;
    }
    const connection = new Connection(
      socket,
      { limits: this.limits, idleTimeoutMs: this.idleTimeoutMs, pendingRequestsMax: this.pendingRequestsMax, pauseReadsOnBackpressure: true, logger: this.logger },
      this.handler,
    );
    if (!connection.isActive) return;
    this.connections.set(connection.id, connection);
    this.logger.debug({ peer: connection.remoteAddress, id: connection.id }, 'channel open');
    this.events.emit('channelOpen', connection);
  };

  private readonly handler: ConnectionHandler = {
    onRequest: (connection, request) => this.dispatcher.dispatch(connection, request),
    onIdle: (connection) => {
      this.logger.info({ peer: connection.remoteAddress, idleTimeoutMs: this.idleTimeoutMs }, 'channel idle; closing');
      this.events.emit('channelIdle', connection);
      connection.close('idle');
    },
    onInvalidFrame: (connection, reason) => this.events.emit('invalidFrame', connection, reason),
    onClose: (connection, reason) => {
      if (!this.connections.delete(connection.id)) return;
      this.logger.debug({ peer: connection.remoteAddress, id: connection.id, reason }, 'channel closed');
      this.events.emit('channelClose', connection, reason);
    },
  };
}
