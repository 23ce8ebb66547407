// The header codec for each serialize type byte of the frame's header word.

import { SerializeType } from '../protocol/remoting-command.js';
import { JsonHeaderCodec } from './header-json.js';
import { RocketmqHeaderCodec } from './header-rocketmq.js';
import { MsgpackHeaderCodec } from './header-msgpack.js';
import type { HeaderCodec } from './remoting-header.js';

/** The codec for a serialize type byte, or undefined for a type Apogee does not know. */
export function headerCodecOf(serializeType: number): HeaderCodec | undefined {
  switch (serializeType) {
    case SerializeType.JSON: return JsonHeaderCodec;
    case SerializeType.ROCKETMQ: return RocketmqHeaderCodec;
    case SerializeType.MSGPACK: return MsgpackHeaderCodec;
    default: return undefined;
  }
}

/** Whether a serialize type byte is one Apogee reads. */
export function isKnownSerializeType(serializeType: number): serializeType is SerializeType {
  return headerCodecOf(serializeType) !== undefined;
}
