// Frame decoder: decodeFrame (one frame from a buffer, pure) and FrameDecoder (a stream of chunks
// in, frames out through callbacks).
//
// Frame layout (big-endian): length int32 @0 (bytes after this field) | header word uint32 @4
// (serialize type in the high byte, header length in the low 24 bits) | header | body.
//
// Checks, in the order the bytes arrive, so that a bad frame is refused as soon as its first 4
// or 8 bytes are in (and nothing is buffered for an oversized one):
//   length >= 4; 4 + length <= frameBytesMax; serialize type known (0 JSON, 1 ROCKETMQ,
//   2 MSGPACK); header length <= length - 4; header length <= headerBytesMax; header decodes.
// The body of a decoded command is a subarray of the input (no copy); it is absent when empty.

import { type RemotingCommand, type SerializeType } from '../protocol/remoting-command.js';
import {
  checkFrameLimits, DEFAULT_FRAME_LIMITS, FRAME_HEADER_WORD_BYTES, FRAME_LENGTH_FIELD_BYTES, FRAME_PREFIX_BYTES,
  type FrameLimits,
} from '../limits.js';
import { headerCodecOf } from './header-codecs.js';

export type FrameResult =
  | { kind: 'needMore' }
  | { kind: 'frame'; command: RemotingCommand; frameBytes: number }
  | { kind: 'invalid'; reason: string };

const NEED_MORE: FrameResult = Object.freeze({ kind: 'needMore' });
const SERIALIZE_TYPE_NAMES = ['JSON', 'ROCKETMQ', 'MSGPACK'] as const;

/**
 * Decodes the frame that starts at `offset`. Pure and total: never throws, whatever the bytes.
 * 'needMore' means the bytes so far are a valid beginning of a frame.
 */
export function decodeFrame(buf: Buffer, offset = 0, limits: FrameLimits = DEFAULT_FRAME_LIMITS): FrameResult {
  if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
    return { kind: 'invalid', reason: `offset ${offset} outside a buffer of ${buf.length} bytes` };
  }
  const available = buf.length - offset;
  if (available < FRAME_LENGTH_FIELD_BYTES) return NEED_MORE;
  const length = buf.readInt32BE(offset);
  if (length < FRAME_HEADER_WORD_BYTES) {
    return { kind: 'invalid', reason: `frame length ${length} < ${FRAME_HEADER_WORD_BYTES}` };
  }
  const frameBytes = FRAME_LENGTH_FIELD_BYTES + length;
  if (frameBytes > limits.frameBytesMax) {
    return { kind: 'invalid', reason: `frame bytes ${frameBytes} > frameBytesMax ${limits.frameBytesMax}` };
  }
  if (available < FRAME_PREFIX_BYTES) return NEED_MORE;
  const word = buf.readUInt32BE(offset + FRAME_LENGTH_FIELD_BYTES);
  const serializeType = word >>> 24;
  const headerBytes = word & 0xff_ffff;
  const codec = headerCodecOf(serializeType);
  if (codec === undefined) return { kind: 'invalid', reason: `unknown serialize type ${serializeType}` };
  if (headerBytes > length - FRAME_HEADER_WORD_BYTES) {
    return { kind: 'invalid', reason: `header bytes ${headerBytes} > frame length ${length} - ${FRAME_HEADER_WORD_BYTES}` };
  }
  if (headerBytes > limits.headerBytesMax) {
    return { kind: 'invalid', reason: `header bytes ${headerBytes} > headerBytesMax ${limits.headerBytesMax}` };
  }
  if (available < frameBytes) return NEED_MORE;
  const headerStart = offset + FRAME_PREFIX_BYTES;
  const bodyStart = headerStart + headerBytes;
  const decoded = codec.decode(buf.subarray(headerStart, bodyStart));
  if (!decoded.ok) {
    return { kind: 'invalid', reason: `${SERIALIZE_TYPE_NAMES[serializeType as SerializeType]} header: ${decoded.reason}` };
  }
  const command: RemotingCommand = decoded.header as RemotingCommand;
  command.serializeType = serializeType as SerializeType;
  const frameEnd = offset + frameBytes;
  if (frameEnd > bodyStart) command.body = buf.subarray(bodyStart, frameEnd);
  return { kind: 'frame', command, frameBytes };
}

/**
 * Streaming decoder for one connection. Fed chunks as they arrive; calls onFrame for each
 * complete frame in order, and onInvalid once with a reason for the first malformed one, after
 * which it ignores further input (the connection should be closed). The frames are the same
 * whether the bytes come one at a time or all at once.
 *
 * Buffering: whole frames inside one chunk are decoded in place (bodies are subarrays of the
 * chunk). A frame split across chunks is kept as a list of chunks and copied once, into a buffer
 * of exactly its size, when its last byte arrives. At most one partial frame is held, and it is
 * never larger than limits.frameBytesMax.
 *
 * push() never throws. If onFrame throws, the decoder stops as for an invalid frame and reports
 * the error through onInvalid: a handler that failed midway leaves the stream in no known state.
 */
export class FrameDecoder {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Size of the partial frame in `pending` once its length field is in, else 0. */
  private pendingFrameBytes = 0;
  private isFailed = false;

  constructor(
    private readonly limits: FrameLimits,
    private readonly onFrame: (cmd: RemotingCommand) => void,
    private readonly onInvalid: (reason: string) => void,
  ) {
    checkFrameLimits(limits);
  }

  /** Whether the decoder has stopped on an invalid frame. */
  get failed(): boolean {
    return this.isFailed;
  }

  /** Bytes held for a frame that is not complete yet. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): void {
    if (this.isFailed || chunk.length === 0) return;
    if (this.pendingBytes === 0) {
      this.drain(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingFrameBytes === 0 && !this.checkPendingPrefix()) return;
    if (this.pendingFrameBytes === 0 || this.pendingBytes < this.pendingFrameBytes) return;
    const [frame, rest] = this.takePendingFrame();
    const result = decodeFrame(frame, 0, this.limits);
    if (!this.emit(result)) return;
    if (rest.length > 0) this.drain(rest);
  }

  /** Decodes whole frames in place from `buf`; keeps a trailing partial frame. */
  private drain(buf: Buffer): void {
    let offset = 0;
    while (offset < buf.length) {
      const result = decodeFrame(buf, offset, this.limits);
      if (result.kind === 'needMore') {
        this.pending.push(buf.subarray(offset));
        this.pendingBytes = buf.length - offset;
        this.checkPendingPrefix();
        return;
      }
      if (!this.emit(result)) return;
      offset += result.kind === 'frame' ? result.frameBytes : 0;
    }
  }

  /**
   * Validates the prefix of the pending partial frame (up to 8 bytes) and learns its size once
   * the length field is in. Returns false after reporting an invalid prefix.
   */
  private checkPendingPrefix(): boolean {
    const prefixBytes = Math.min(FRAME_PREFIX_BYTES, this.pendingBytes);
    const prefix = this.copyPending(prefixBytes);
    const result = decodeFrame(prefix, 0, this.limits);
    if (result.kind === 'invalid') {
      this.fail(result.reason);
      return false;
    }
    if (prefixBytes === FRAME_PREFIX_BYTES) {
      this.pendingFrameBytes = FRAME_LENGTH_FIELD_BYTES + prefix.readInt32BE(0);
    }
    return true;
  }

  /** The first `bytes` pending bytes in a new buffer. */
  private copyPending(bytes: number): Buffer {
    const out = Buffer.allocUnsafe(bytes);
    let filled = 0;
    for (const piece of this.pending) {
      if (filled === bytes) break;
      filled += piece.copy(out, filled, 0, Math.min(piece.length, bytes - filled));
    }
    return out;
  }

  /** Removes the complete pending frame: its bytes (one copy) and what followed it in the last chunk. */
  private takePendingFrame(): [Buffer, Buffer] {
    const frameBytes = this.pendingFrameBytes;
    const frame = Buffer.allocUnsafe(frameBytes);
    let filled = 0;
    let rest: Buffer = Buffer.alloc(0);
    for (const piece of this.pending) {
      const take = Math.min(piece.length, frameBytes - filled);
      piece.copy(frame, filled, 0, take);
      filled += take;
      if (take < piece.length) rest = piece.subarray(take);
    }
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.pendingFrameBytes = 0;
    return [frame, rest];
  }

  /** Delivers a result; returns whether decoding may go on. */
  private emit(result: FrameResult): boolean {
    if (result.kind === 'invalid') {
      this.fail(result.reason);
      return false;
    }
    if (result.kind === 'needMore') return true;
    try {
      this.onFrame(result.command);
    } catch (err) {
      this.fail(`frame handler threw: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    return !this.isFailed;
  }

  private fail(reason: string): void {
    if (this.isFailed) return;
    this.isFailed = true;
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.pendingFrameBytes = 0;
    this.onInvalid(reason);
  }
}
