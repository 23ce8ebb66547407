// A server on a real loopback socket that answers each request with whatever the test says:
// a response, raw bytes (a malformed frame), a dropped connection, or nothing. It is for
// replies a real broker or namesrv will not give on demand (SYSTEM_BUSY, a truncated frame, a
// connection lost mid-request); everything else should be tested against the real servers.

import { createServer, type Server, type Socket } from 'node:net';
import { encodeFrame } from '../codec/frame-encoder.js';
import { FrameDecoder } from '../codec/frame-decoder.js';
import { DEFAULT_FRAME_LIMITS } from '../limits.js';
import { createResponseCommand, isResponse, type RemotingCommand } from '../protocol/remoting-command.js';

/** A command to encode and write, bytes to write as they are, a dropped connection, or nothing. */
export type CannedAction = RemotingCommand | Buffer | 'close' | 'ignore';

export interface CannedPeer {
  /** The client as "ip:port". */
  readonly remoteAddress: string;
  /** Do something on this connection outside a reply (e.g. later, after a delay the test controls). */
  act(action: CannedAction | readonly CannedAction[]): void;
}

export type CannedHandler = (
  request: RemotingCommand,
  peer: CannedPeer,
) => CannedAction | readonly CannedAction[] | Promise<CannedAction | readonly CannedAction[]>;

/** Requests kept in `received`; later ones are counted in `receivedDropped`. */
const RECEIVED_KEPT_MAX = 100_000;

/** Answers every request with SUCCESS (code 0) and no body. */
export const answerSuccess: CannedHandler = (request) => createResponseCommand(request, 0);

export class CannedResponseServer {
  /** Every request received, in arrival order (responses from clients go to `responses`). */
  readonly received: RemotingCommand[] = [];
  /** Responses clients sent to requests this server wrote with act()/sendToAll(). */
  readonly responses: RemotingCommand[] = [];
  receivedDropped = 0;
  /** Errors thrown by the handler; the connection is closed when one happens. */
  readonly handlerErrors: unknown[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private shutdownPromise: Promise<void> | undefined;

  constructor(private handler: CannedHandler = answerSuccess) {
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: '127.0.0.1', port: 0 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    this.boundPort = address !== null && typeof address === 'object' ? address.port : 0;
  }

  get port(): number {
    return this.boundPort;
  }

  /** "127.0.0.1:port", what a RemotingClient is given. */
  get addr(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  setHandler(handler: CannedHandler): void {
    this.handler = handler;
  }

  /** Apply `action` on every open connection (e.g. a server-initiated request). */
  sendToAll(action: CannedAction | readonly CannedAction[]): void {
    for (const socket of this.sockets) apply(socket, action);
  }

  /** Destroy every open connection at once (the server keeps listening). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= new Promise<void>((resolve) => {
      this.dropConnections();
      if (!this.server.listening) resolve();
      else this.server.close(() => resolve());
    });
    return this.shutdownPromise;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const peer: CannedPeer = {
      remoteAddress: `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`,
      act: (action) => apply(socket, action),
    };
    const decoder = new FrameDecoder(
      DEFAULT_FRAME_LIMITS,
      (cmd) => this.onCommand(cmd, peer, socket),
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
  }

  private onCommand(cmd: RemotingCommand, peer: CannedPeer, socket: Socket): void {
    if (isResponse(cmd)) {
      this.responses.push(cmd);
      return;
    }
    if (this.received.length < RECEIVED_KEPT_MAX) this.received.push(cmd);
    else this.receivedDropped++;
    const fail = (err: unknown): void => {
      this.handlerErrors.push(err);
      socket.destroy();
    };
    try {
      const result = this.handler(cmd, peer);
      if (result instanceof Promise) result.then((action) => apply(socket, action), fail);
      else apply(socket, result);
    } catch (err) {
      fail(err);
    }
  }
}

function apply(socket: Socket, action: CannedAction | readonly CannedAction[]): void {
  if (Array.isArray(action)) {
    for (const one of action as readonly CannedAction[]) apply(socket, one);
    return;
  }
  if (socket.destroyed) return;
  if (action === 'close') socket.destroy();
  else if (action === 'ignore') return;
  else if (Buffer.isBuffer(action)) socket.write(action);
  else socket.write(encodeFrame(action as RemotingCommand));
}
