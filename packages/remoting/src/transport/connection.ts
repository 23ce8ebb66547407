// One framed remoting connection over a node:net socket, used by both ends: the server wraps
// each accepted socket in one, the client each socket it connects. It owns the framing, the
// table of requests waiting for a response (keyed by opaque), their timeouts, write batching
// and the close sequence. What to do with an incoming request is the owner's business
// (ConnectionHandler.onRequest).
//
// Writes made in one event-loop turn are corked and flushed together by one setImmediate
// (one writev syscall); a command's body is written as its own buffer, never copied.

import type { Socket } from 'node:net';
import { assert, type Logger } from '@apogee/common';
import { FrameDecoder } from '../codec/frame-decoder.js';
import { encodeFrameHeader } from '../codec/frame-encoder.js';
import { RemotingClosedError, RemotingSendRequestError, RemotingTimeoutError, RemotingTooMuchRequestError, type RemotingError } from '../errors.js';
import type { FrameLimits } from '../limits.js';
import { isResponse, RPC_ONEWAY_BIT, RPC_TYPE_RESPONSE_BIT, type RemotingCommand } from '../protocol/remoting-command.js';
import { formatAddress, type Channel } from './channel.js';
import type { InvokeCallback } from './request-processor.js';
import { CLOSE_FLUSH_MS, OPAQUE_MAX, WRITE_BUFFER_BYTES_PAUSE } from './transport-limits.js';

/** Process-wide so that a broker with two servers (main and VIP port) never sees two equal ids. */
let nextConnectionId = 1;

export interface ConnectionHandler {
  onRequest(connection: Connection, request: RemotingCommand): void;
  onIdle(connection: Connection): void;
  onInvalidFrame(connection: Connection, reason: string): void;
  onClose(connection: Connection, reason: string): void;
}

export interface ConnectionOptions {
  readonly limits: FrameLimits;
  /** 0 disables idle detection. */
  readonly idleTimeoutMs: number;
  readonly pendingRequestsMax: number;
  /** Servers pause reading while their output to this peer is backed up; clients never do. */
  readonly pauseReadsOnBackpressure: boolean;
  readonly logger: Logger;
}

interface PendingRequest {
  readonly timeoutMs: number;
  readonly timer: NodeJS.Timeout;
  readonly callback: InvokeCallback;
}

export class Connection implements Channel {
  readonly id = nextConnectionId++;
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** Requests from the peer whose processor has not finished; kept by the RequestDispatcher. */
  processingCount = 0;
  /** Oneway requests written but not flushed; kept by the owner that bounds them. */
  onewayUnflushedCount = 0;
  /** Resolves once the socket has fully closed. */
  readonly closed: Promise<void>;

  private readonly pending = new Map<number, PendingRequest>();
  private readonly decoder: FrameDecoder;
  private nextOpaque = 1;
  private closeReason: string | undefined;
  private socketError: Error | undefined;
  private corked = false;
  private uncorkImmediate: NodeJS.Immediate | undefined;
  private readsPaused = false;
  private hasClosed = false;
  private destroyTimer: NodeJS.Timeout | undefined;
  private resolveClosed!: () => void;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
    private readonly handler: ConnectionHandler,
  ) {
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.decoder = new FrameDecoder(options.limits, this.onFrame, this.onInvalid);
    socket.setNoDelay(true);
    if (options.idleTimeoutMs > 0) socket.setTimeout(options.idleTimeoutMs);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('end', this.onEnd);
    socket.on('timeout', this.onTimeoutEvent);
    socket.on('close', this.onSocketClose);
    if (socket.destroyed) this.onSocketClose();
  }

  get isActive(): boolean {
    return this.closeReason === undefined && !this.socket.destroyed;
  }

  /** True while requests wait for responses or the peer's requests are being processed. */
  get isBusy(): boolean {
    return this.pending.size > 0 || this.processingCount > 0;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** True while reads are paused because the peer is not taking our output (servers only). */
  get isReadPaused(): boolean {
    return this.readsPaused;
  }

  /** Bytes written to the socket and not yet flushed to the kernel. */
  get unflushedBytes(): number {
    return this.socket.writableLength;
  }

  close(reason: string): void {
    this.shutdownSocket(reason, 'flush');
  }

  /** Close at once without flushing (bad frames, connect races). */
  destroy(reason: string): void {
    this.shutdownSocket(reason, 'destroy');
  }

  /**
   * Send a request and call `callback` once with its response, a timeout or a close. Returns an
   * error instead (and never calls the callback) when it cannot be sent at all.
   * Sets the request's opaque and clears its oneway and response bits. `callerTimeoutMs` is what
   * a timeout error reports when part of the caller's budget went into connecting.
   */
  request(cmd: RemotingCommand, timeoutMs: number, callback: InvokeCallback, callerTimeoutMs = timeoutMs): RemotingError | null {
    if (!this.isActive) return new RemotingClosedError(this.remoteAddress, this.closeReason ?? 'not connected');
    const limit = this.options.pendingRequestsMax;
    if (this.pending.size >= limit) return new RemotingTooMuchRequestError(limit, `pending requests to ${this.remoteAddress} reached ${limit}`);
    const opaque = this.allocateOpaque();
    cmd.opaque = opaque;
    cmd.flag &= ~(RPC_ONEWAY_BIT | RPC_TYPE_RESPONSE_BIT);
    const sendError = this.write(cmd);
    if (sendError !== null) return sendError;
    const timer = setTimeout(this.onRequestTimeout, timeoutMs, opaque);
    timer.unref();
    this.pending.set(opaque, { timeoutMs: callerTimeoutMs, timer, callback });
    return null;
  }

  /** Send a oneway request; `onFlushed` runs once the bytes reach the kernel or the write fails. */
  oneway(cmd: RemotingCommand, onFlushed?: (error: Error | null | undefined) => void): RemotingError | null {
    if (!this.isActive) return new RemotingClosedError(this.remoteAddress, this.closeReason ?? 'not connected');
    cmd.opaque = this.allocateOpaque();
    cmd.flag = (cmd.flag | RPC_ONEWAY_BIT) & ~RPC_TYPE_RESPONSE_BIT;
    return this.write(cmd, onFlushed);
  }

  /** Write a response (or any ready command) as it is. Returns an error if not written. */
  write(cmd: RemotingCommand, onFlushed?: (error: Error | null | undefined) => void): RemotingError | null {
    if (!this.isActive) return new RemotingClosedError(this.remoteAddress, this.closeReason ?? 'not connected');
    let header: Buffer;
    try {
      header = encodeFrameHeader(cmd);
    } catch (err) {
      return new RemotingSendRequestError(this.remoteAddress, `encode command code ${cmd.code} for ${this.remoteAddress} failed`, { cause: err });
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      this.uncorkImmediate = setImmediate(this.uncork);
    }
    const body = cmd.body;
    if (body !== undefined && body.length > 0) {
      this.socket.write(header);
      this.socket.write(body, onFlushed);
    } else {
      this.socket.write(header, onFlushed);
    }
    if (this.options.pauseReadsOnBackpressure && !this.readsPaused && this.socket.writableLength > WRITE_BUFFER_BYTES_PAUSE) {
      this.pauseReadsUntilDrained();
    }
    return null;
  }

  private allocateOpaque(): number {
    // Bounded: the pending table holds fewer than OPAQUE_MAX entries (transport-limits asserts it).
    for (;;) {
      const opaque = this.nextOpaque;
      this.nextOpaque = opaque >= OPAQUE_MAX ? 1 : opaque + 1;
      if (!this.pending.has(opaque)) return opaque;
    }
  }

  private pauseReadsUntilDrained(): void {
    this.readsPaused = true;
    this.socket.pause();
    this.options.logger.warn({ peer: this.remoteAddress, unflushedBytes: this.socket.writableLength }, 'peer is not reading responses; pausing reads until drained');
    this.socket.once('drain', () => {
      this.readsPaused = false;
      if (this.isActive) this.socket.resume();
    });
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.uncorkImmediate = undefined;
    this.socket.uncork();
  };

  private readonly onData = (chunk: Buffer): void => {
    if (this.closeReason !== undefined) return;
    this.decoder.push(chunk);
  };

  private readonly onFrame = (cmd: RemotingCommand): void => {
    // Frames decoded from the rest of a chunk after we decided to close are dropped.
    if (this.closeReason !== undefined) return;
    if (isResponse(cmd)) this.onResponse(cmd);
    else this.handler.onRequest(this, cmd);
  };

  private onResponse(response: RemotingCommand): void {
    const entry = this.pending.get(response.opaque);
    if (entry === undefined) {
      // Normal after a timeout: the answer came too late. Anything else is the peer's bug.
      this.options.logger.debug({ peer: this.remoteAddress, opaque: response.opaque, code: response.code }, 'response without a pending request');
      return;
    }
    this.pending.delete(response.opaque);
    clearTimeout(entry.timer);
    this.complete(entry, { ok: true, response });
  }

  private readonly onRequestTimeout = (opaque: number): void => {
    const entry = this.pending.get(opaque);
    assert(entry !== undefined, `timer fired for opaque ${opaque} that is not pending`);
    this.pending.delete(opaque);
    this.complete(entry, { ok: false, error: new RemotingTimeoutError(this.remoteAddress, opaque, entry.timeoutMs) });
  };

  private complete(entry: PendingRequest, result: Parameters<InvokeCallback>[0]): void {
    try {
      entry.callback(result);
    } catch (err) {
      this.options.logger.error({ err, peer: this.remoteAddress }, 'invoke callback threw');
    }
  }

  private readonly onInvalid = (reason: string): void => {
    if (this.closeReason !== undefined) return;
    this.options.logger.warn({ peer: this.remoteAddress, reason }, 'invalid frame; closing connection');
    this.handler.onInvalidFrame(this, reason);
    this.destroy(`invalid frame: ${reason}`);
  };

  private readonly onError = (err: Error): void => {
    // 'close' follows; keep the first error for the close reason.
    this.socketError ??= err;
    this.options.logger.debug({ err, peer: this.remoteAddress }, 'socket error');
  };

  private readonly onEnd = (): void => {
    // The peer half-closed: no response can arrive any more, fail pending requests now.
    if (this.closeReason === undefined) {
      this.closeReason = this.peerClosedReason();
      this.failPending(this.closeReason);
    }
  };

  private peerClosedReason(): string {
    const truncatedBytes = this.decoder.bufferedBytes;
    if (truncatedBytes === 0) return 'closed by peer';
    this.options.logger.warn({ peer: this.remoteAddress, truncatedBytes }, 'peer closed the connection in the middle of a frame');
    return `closed by peer mid-frame (${truncatedBytes} bytes of a truncated frame dropped)`;
  }

  private readonly onTimeoutEvent = (): void => {
    if (this.closeReason !== undefined) return;
    // Re-arm: if the owner keeps a busy connection open, the next idle period must fire again.
    this.socket.setTimeout(this.options.idleTimeoutMs);
    this.handler.onIdle(this);
  };

  private shutdownSocket(reason: string, mode: 'flush' | 'destroy'): void {
    if (this.closeReason === undefined) {
      this.closeReason = reason;
      this.failPending(reason);
    }
    if (this.socket.destroyed) return;
    if (mode === 'destroy') {
      this.socket.destroy();
      return;
    }
    if (this.destroyTimer !== undefined) return;
    this.socket.end();
    // A peer that never closes its side must not keep the socket forever.
    this.destroyTimer = setTimeout(() => this.socket.destroy(), CLOSE_FLUSH_MS);
    this.destroyTimer.unref();
  }

  private failPending(reason: string): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      const error = new RemotingClosedError(this.remoteAddress, reason, this.socketError === undefined ? undefined : { cause: this.socketError });
      this.complete(entry, { ok: false, error });
    }
  }

  private readonly onSocketClose = (): void => {
    if (this.hasClosed) return;
    this.hasClosed = true;
    if (this.destroyTimer !== undefined) clearTimeout(this.destroyTimer);
    if (this.uncorkImmediate !== undefined) clearImmediate(this.uncorkImmediate);
    this.destroyTimer = undefined;
    this.uncorkImmediate = undefined;
    const reason = this.closeReason ?? (this.socketError !== undefined ? `connection error: ${this.socketError.message}` : this.peerClosedReason());
    this.closeReason = reason;
    this.failPending(reason);
    this.socket.removeListener('data', this.onData);
    this.handler.onClose(this, reason);
    this.resolveClosed();
  };
}
