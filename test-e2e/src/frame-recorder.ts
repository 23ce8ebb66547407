// A recording TCP proxy for remoting traffic: listens on a loopback port, forwards every
// connection to a target, cuts each direction into frames (int32 big-endian length prefix, the
// length counting the bytes after it) and records each frame's bytes with direction and time.
//
// Frames are forwarded whole, as soon as their last byte arrives. An optional `rewrite` may change
// a frame on its way (the recording keeps the original bytes). If a length prefix is impossible
// (negative or above FRAME_BYTES_MAX) the connection stops being framed: recording ends for that
// direction and bytes pass through untouched, so the peers still see what the other side sent.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { LOOPBACK_HOST } from './ports.js';

/** RocketMQ's frameMaxLength default (16 MiB). */
export const FRAME_BYTES_MAX = 16 * 1024 * 1024;
export const RECORDED_FRAMES_MAX_DEFAULT = 10_000;

/** toServer: client → target; toClient: target → client */
export type FrameDirection = 'toServer' | 'toClient';

export interface RecordedFrame {
  /** 1, 2, … in accept order */
  connectionId: number;
  direction: FrameDirection;
  /** ms since the recorder started, when the frame's last byte arrived */
  atMs: number;
  /** the whole frame, length prefix included */
  bytes: Buffer;
}

export interface FrameRecorderOptions {
  listenHost?: string;
  listenPort: number;
  targetHost?: string;
  targetPort: number;
  /** returns the frame to forward instead (must be a whole frame with a correct length prefix) */
  rewrite?: (frame: Buffer, direction: FrameDirection) => Buffer;
  /** frames beyond this are forwarded but not recorded (counted in droppedFrames) */
  framesMax?: number;
}

/** Cuts a byte stream into frames; after an impossible length it hands back raw bytes only. */
class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  isBroken = false;

  push(chunk: Buffer): { frames: Buffer[]; raw?: Buffer } {
    if (this.isBroken) return { frames: [], raw: chunk };
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    let at = 0;
    while (this.pending.length - at >= 4) {
      const length = this.pending.readInt32BE(at);
      if (length < 0 || length > FRAME_BYTES_MAX) {
        this.isBroken = true;
        const raw = this.pending.subarray(at);
        this.pending = Buffer.alloc(0);
        return { frames, raw };
      }
      if (this.pending.length - at < 4 + length) break;
      // copy: the recording must not pin or alias the socket's chunk
      frames.push(Buffer.from(this.pending.subarray(at, at + 4 + length)));
      at += 4 + length;
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(at);
    return { frames };
  }
}

export class FrameRecorder {
  readonly host: string;
  readonly port: number;
  /** frames forwarded but not recorded because framesMax was reached */
  droppedFrames = 0;
  private readonly recorded: RecordedFrame[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly startedAt = performance.now();
  private connectionCount = 0;
  private isShutdown = false;

  private constructor(
    private readonly server: net.Server,
    private readonly opts: FrameRecorderOptions,
  ) {
    this.host = opts.listenHost ?? LOOPBACK_HOST;
    this.port = opts.listenPort;
  }

  static async start(opts: FrameRecorderOptions): Promise<FrameRecorder> {
    const server = net.createServer();
    const recorder = new FrameRecorder(server, opts);
    server.on('connection', (socket) => recorder.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: recorder.host, port: opts.listenPort, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return recorder;
  }

  /** "host:port" clients should be given */
  get addr(): string {
    return `${this.host}:${this.port}`;
  }

  /** Everything recorded so far, in arrival order. */
  get frames(): readonly RecordedFrame[] {
    return this.recorded;
  }

  /** Stops listening, closes every proxied connection and waits for the server to close. */
  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    this.isShutdown = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.isShutdown) {
      client.destroy();
      return;
    }
    const connectionId = ++this.connectionCount;
    const upstream = net.connect({ host: this.opts.targetHost ?? LOOPBACK_HOST, port: this.opts.targetPort });
    this.sockets.add(client);
    this.sockets.add(upstream);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    this.pipe(client, upstream, 'toServer', connectionId);
    this.pipe(upstream, client, 'toClient', connectionId);
  }

  private pipe(from: net.Socket, to: net.Socket, direction: FrameDirection, connectionId: number): void {
    const splitter = new FrameSplitter();
    from.on('data', (chunk: Buffer) => {
      const { frames, raw } = splitter.push(chunk);
      for (const frame of frames) {
        this.record(connectionId, direction, frame);
        to.write(this.opts.rewrite ? this.opts.rewrite(frame, direction) : frame);
      }
      if (raw !== undefined && raw.length > 0) to.write(raw);
    });
  }

  private record(connectionId: number, direction: FrameDirection, bytes: Buffer): void {
    if (this.recorded.length >= (this.opts.framesMax ?? RECORDED_FRAMES_MAX_DEFAULT)) {
      this.droppedFrames++;
      return;
    }
    this.recorded.push({ connectionId, direction, atMs: performance.now() - this.startedAt, bytes });
  }
}
