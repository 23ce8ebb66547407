// The logical content of one remoting frame (RocketMQ RemotingCommand).
// Wire layout (big-endian): int32 length (bytes after this field) | int32 word
// (high byte = serialize type, low 24 bits = header length) | header | body.

/** Serialize type byte in the frame's header word. MSGPACK (2) is an Apogee extension. */
export const SerializeType = { JSON: 0, ROCKETMQ: 1, MSGPACK: 2 } as const;
export type SerializeType = (typeof SerializeType)[keyof typeof SerializeType];

/** RocketMQ LanguageCode names with their byte in the ROCKETMQ binary header. */
export const LanguageCode = {
  JAVA: 0, CPP: 1, DOTNET: 2, PYTHON: 3, DELPHI: 4, ERLANG: 5, RUBY: 6, OTHER: 7,
  HTTP: 8, GO: 9, PHP: 10, OMS: 11, RUST: 12, NODE_JS: 13,
} as const;
export type LanguageName = keyof typeof LanguageCode;

/** flag bit 0: this is a response; bit 1: the request wants no response. */
export const RPC_TYPE_RESPONSE_BIT = 1;
export const RPC_ONEWAY_BIT = 2;

/** MQVersion ordinal Apogee puts in every command it writes (V5_3_3). */
export const APOGEE_WIRE_VERSION = 479;

export interface RemotingCommand {
  /** request code in a request, response code in a response */
  code: number;
  language: LanguageName;
  version: number;
  opaque: number;
  flag: number;
  remark?: string;
  /** the "custom header": every value is a string on the wire */
  extFields?: Record<string, string>;
  body?: Buffer;
  /** how this command was (or will be) serialized on the wire */
  serializeType: SerializeType;
}

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & RPC_TYPE_RESPONSE_BIT) !== 0;
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & RPC_ONEWAY_BIT) !== 0;
}

/**
 * A request to send. `opaque` is 0 here: the connection that sends it assigns a fresh one.
 * `serializeType` JSON is a placeholder; the client overrides it with its configured type.
 */
export function createRequestCommand(
  code: number,
  extFields?: Record<string, string>,
  body?: Buffer,
): RemotingCommand {
  const cmd: RemotingCommand = { code, language: 'JAVA', version: APOGEE_WIRE_VERSION, opaque: 0, flag: 0, serializeType: SerializeType.JSON };
  if (extFields !== undefined) cmd.extFields = extFields;
  if (body !== undefined) cmd.body = body;
  return cmd;
}

/** The response to `request`: same opaque and serialize type, response bit set. */
export function createResponseCommand(
  request: RemotingCommand,
  code: number,
  remark?: string,
  extFields?: Record<string, string>,
  body?: Buffer,
): RemotingCommand {
  const cmd: RemotingCommand = {
    code, language: 'JAVA', version: APOGEE_WIRE_VERSION, opaque: request.opaque,
    flag: RPC_TYPE_RESPONSE_BIT, serializeType: request.serializeType,
  };
  if (remark !== undefined) cmd.remark = remark;
  if (extFields !== undefined) cmd.extFields = extFields;
  if (body !== undefined) cmd.body = body;
  return cmd;
}
