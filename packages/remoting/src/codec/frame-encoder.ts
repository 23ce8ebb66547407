// Frame encoder. Layout (big-endian):
//   length int32 @0 (bytes after this field = 4 + header + body) |
//   header word uint32 @4 (serialize type << 24 | header length) | header | body
//
// encodeFrame writes everything into one buffer. encodeFrameHeader writes everything except the
// body, so a sender can write [prefixAndHeader, body] (writev/cork) without copying a large body;
// the length field already counts the body.
//
// Encoders throw InvalidArgumentError for a command no peer could decode (a field outside its
// wire range, a header longer than 24 bits can say). They do not apply FrameLimits: the receiver
// enforces its own.

import { InvalidArgumentError } from '@apogee/common';
import { SerializeType, type RemotingCommand } from '../protocol/remoting-command.js';
import { FRAME_LENGTH_FIELD_BYTES, FRAME_PREFIX_BYTES, HEADER_LENGTH_FIELD_MAX } from '../limits.js';
import { headerCodecOf } from './header-codecs.js';
import { fitsRocketmqHeader } from './header-rocketmq.js';

const FRAME_LENGTH_MAX = 0x7fff_ffff;

/**
 * The serialize type the frame will actually carry: the command's own, except that a ROCKETMQ
 * command whose code or version does not fit an int16 goes out as JSON (the header word tells
 * the receiver, so it still decodes).
 */
export function wireSerializeTypeOf(cmd: Pick<RemotingCommand, 'serializeType' | 'code' | 'version'>): SerializeType {
  if (cmd.serializeType === SerializeType.ROCKETMQ && !fitsRocketmqHeader(cmd)) return SerializeType.JSON;
  return cmd.serializeType;
}

/** Length prefix + header word + header + body, in one buffer. */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const body = cmd.body;
  const bodyBytes = body === undefined ? 0 : body.length;
  const buf = encodeWithRoomForBody(cmd, bodyBytes, bodyBytes);
  if (body !== undefined && bodyBytes > 0) body.copy(buf, buf.length - bodyBytes);
  return buf;
}

/** Everything but the body: length prefix (counting the body) + header word + header. */
export function encodeFrameHeader(cmd: RemotingCommand): Buffer {
  const bodyBytes = cmd.body === undefined ? 0 : cmd.body.length;
  return encodeWithRoomForBody(cmd, bodyBytes, 0);
}

/** Writes prefix and header; `roomBytes` extra bytes are left at the end for the body. */
function encodeWithRoomForBody(cmd: RemotingCommand, bodyBytes: number, roomBytes: number): Buffer {
  const serializeType = wireSerializeTypeOf(cmd);
  const codec = headerCodecOf(serializeType);
  if (codec === undefined) {
    throw new InvalidArgumentError('serializeType', `unknown serialize type ${String(cmd.serializeType)}`);
  }
  if (cmd.body !== undefined && !Buffer.isBuffer(cmd.body)) {
    throw new InvalidArgumentError('body', 'body must be a Buffer');
  }
  const buf = codec.encodeInto(cmd, FRAME_PREFIX_BYTES, roomBytes);
  const headerBytes = buf.length - FRAME_PREFIX_BYTES - roomBytes;
  if (headerBytes > HEADER_LENGTH_FIELD_MAX) {
    throw new InvalidArgumentError('cmd', `header of ${headerBytes} bytes does not fit the 24-bit header length`);
  }
  const length = FRAME_PREFIX_BYTES - FRAME_LENGTH_FIELD_BYTES + headerBytes + bodyBytes;
  if (length > FRAME_LENGTH_MAX) {
    throw new InvalidArgumentError('cmd', `frame of ${length} bytes does not fit the int32 length field`);
  }
  buf.writeInt32BE(length, 0);
  buf.writeUInt32BE(((serializeType << 24) | headerBytes) >>> 0, FRAME_LENGTH_FIELD_BYTES);
  return buf;
}
