// A bare remoting peer on a real socket, for tests that must send what RemotingClient never
// would (malformed, oversized or truncated frames; responses with strange opaques) and watch
// what comes back. It decodes whatever the other side writes into `frames`.

import { connect, type Socket } from 'node:net';
import { encodeFrame } from '../codec/frame-encoder.js';
import { FrameDecoder } from '../codec/frame-decoder.js';
import { DEFAULT_FRAME_LIMITS } from '../limits.js';
import type { RemotingCommand } from '../protocol/remoting-command.js';

/** Frames kept in `frames`; later ones are counted in `framesDropped`. */
const FRAMES_KEPT_MAX = 100_000;

export class RawRemotingPeer {
  readonly frames: RemotingCommand[] = [];
  framesDropped = 0;
  /** Set when the other side wrote something that is not a valid frame. */
  invalidReason: string | undefined;
  readonly closed: Promise<void>;
  private isSocketClosed = false;
  private readonly decoder: FrameDecoder;

  private constructor(private readonly socket: Socket) {
    this.decoder = new FrameDecoder(
      DEFAULT_FRAME_LIMITS,
      (cmd) => {
        if (this.frames.length < FRAMES_KEPT_MAX) this.frames.push(cmd);
        else this.framesDropped++;
      },
      (reason) => (this.invalidReason = reason),
    );
    socket.on('data', (chunk: Buffer) => this.decoder.push(chunk));
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isSocketClosed = true;
        resolve();
      }),
    );
  }

  /** Connects to 127.0.0.1:`port` (or `host`). */
  static async connect(port: number, host = '127.0.0.1'): Promise<RawRemotingPeer> {
    const socket = connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawRemotingPeer(socket);
  }

  /** True once the socket closed, whoever closed it. */
  get isClosed(): boolean {
    return this.isSocketClosed;
  }

  /** Stop reading (the other side's writes back up once the kernel buffers fill). */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Writes bytes exactly as given. */
  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Writes one well-formed frame (opaque and flag as set on `cmd`). */
  sendCommand(cmd: RemotingCommand): void {
    this.socket.write(encodeFrame(cmd));
  }

  /** Closes the socket at once and waits for it. */
  async close(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }
}
