// Public API of @apogee/remoting. Shared by several authors: only append whole export lines.
export { SerializeType, LanguageCode, type LanguageName, type RemotingCommand, isResponse, isOneway, APOGEE_WIRE_VERSION, RPC_ONEWAY_BIT, RPC_TYPE_RESPONSE_BIT, createRequestCommand, createResponseCommand } from './protocol/remoting-command.js';
export { FRAME_BYTES_MAX, HEADER_BYTES_MAX, FRAME_PREFIX_BYTES, FRAME_LENGTH_FIELD_BYTES, FRAME_HEADER_WORD_BYTES, HEADER_LENGTH_FIELD_MAX, ROCKETMQ_HEADER_FIXED_BYTES, EXT_KEY_BYTES_MAX, JSON_NESTING_DEPTH_MAX, type FrameLimits, DEFAULT_FRAME_LIMITS, checkFrameLimits } from './limits.js';
export { encodeFrame, encodeFrameHeader, wireSerializeTypeOf } from './codec/frame-encoder.js';
export { decodeFrame, FrameDecoder, type FrameResult } from './codec/frame-decoder.js';
export { type RemotingHeader, type HeaderDecodeResult, type HeaderCodec } from './codec/remoting-header.js';
export { headerCodecOf, isKnownSerializeType } from './codec/header-codecs.js';
export { JsonHeaderCodec, encodeJsonHeader, decodeJsonHeader } from './codec/header-json.js';
export { RocketmqHeaderCodec, encodeRocketmqHeader, decodeRocketmqHeader, fitsRocketmqHeader } from './codec/header-rocketmq.js';
export { MsgpackHeaderCodec, encodeMsgpackHeader, decodeMsgpackHeader } from './codec/header-msgpack.js';
export { parseLenientJson, type LenientJsonResult, type LenientJsonOptions } from './codec/lenient-json.js';
export { toFastjsonString, toFastjsonBuffer, type FastjsonWriteOptions } from './codec/fastjson-writer.js';
export { RequestCode, type RequestCodeName, type RequestCodeValue, requestCodeName, isKnownRequestCode } from './protocol/request-code.js';
export { ResponseCode, type ResponseCodeName, type ResponseCodeValue, responseCodeName, isKnownResponseCode } from './protocol/response-code.js';
